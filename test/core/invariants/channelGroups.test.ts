import { expect } from 'chai';
import { maxDistinctPerGroup } from '../../../core/src/invariants/channelGroups';
import { mulberry32 } from '../../helpers/random';

// The distinct-value count behind the every-epoch `clusters` check, against a Set per group (the
// form it replaced): exact counts, and with a limit "more than limit" from the first group that
// exceeds it. −0 and 0 are one value, all NaNs one.

function reference(values: ArrayLike<number>, channels: number | null): { count: number; group: number } {
  const groups = channels ?? 1;
  const sets = Array.from({ length: groups }, () => new Set<number>());
  for (let i = 0; i < values.length; i++) sets[channels === null ? 0 : i % channels]!.add(values[i]!);
  let count = 0;
  let group = 0;
  sets.forEach((s, g) => {
    if (s.size > count) {
      count = s.size;
      group = g;
    }
  });
  return { count, group };
}

/** `n` values drawn from `k` per group (some groups fewer), with zeros, −0 and NaN mixed in. */
function clustered(n: number, channels: number, k: number, seed: number): Float32Array {
  const r = mulberry32(seed);
  const palette = Array.from({ length: channels }, (_, c) => Array.from({ length: Math.max(1, k - (c % 3)) }, () => Math.fround(r() * 4 - 2)));
  return Float32Array.from({ length: n }, (_, i) => {
    const u = r();
    if (u < 0.05) return 0;
    if (u < 0.1) return -0;
    if (u < 0.11) return NaN;
    const p = palette[i % channels]!;
    return p[Math.floor(r() * p.length)]!;
  });
}

describe('maxDistinctPerGroup', () => {
  for (const [n, channels, k] of [[1, null, 1], [500, null, 16], [4096, null, 256], [600, 6, 7], [3000, 64, 16], [65, 8, 3]] as const) {
    it(`${n} values, ${channels === null ? 'per tensor' : `${channels} channels`}, ~${k} per group: exact, and bounded at, below and above the count`, () => {
      const values = clustered(n, channels ?? 1, k, n + k);
      const want = reference(values, channels);
      expect(maxDistinctPerGroup(values, channels), 'exact').to.deep.equal(want);
      expect(maxDistinctPerGroup(values, channels, want.count), 'limit = count').to.deep.equal(want);
      expect(maxDistinctPerGroup(values, channels, want.count + 5), 'limit above').to.deep.equal(want);
      if (want.count > 1) {
        expect(maxDistinctPerGroup(values, channels, want.count - 1).count, 'limit below: limit + 1, "more than the limit"').to.equal(want.count);
      }
    });
  }

  it('treats −0 as 0 and every NaN as one value, and reports the first group over the limit', () => {
    expect(maxDistinctPerGroup([0, -0, NaN, NaN, 1], null)).to.deep.equal({ count: 3, group: 0 });
    expect(maxDistinctPerGroup([0, -0, NaN, NaN, 1], null, 3)).to.deep.equal({ count: 3, group: 0 });
    expect(maxDistinctPerGroup([0, -0, NaN, NaN, 1], null, 2)).to.deep.equal({ count: 3, group: 0 });
    // Channel 1 has 3 values, channel 0 two: over a limit of 2, channel 1 is named.
    expect(maxDistinctPerGroup([1, 5, 2, 6, 1, 7], 2, 2)).to.deep.equal({ count: 3, group: 1 });
    expect(maxDistinctPerGroup([1, 5, 2, 6, 1, 7], 2)).to.deep.equal({ count: 3, group: 1 });
    expect(maxDistinctPerGroup([], null)).to.deep.equal({ count: 0, group: 0 });
  });
});
