import { expect } from 'chai';
import { keptCount } from '../../../plugins/src/pruning/keptCount';
import { kthLargest } from '../../../plugins/src/pruning/kthLargest';
import { mulberry32 } from '../../helpers/random';

function sortedDescending(values: Float32Array): Float32Array {
  return values.slice().sort().reverse();
}

describe('pruning/kthLargest', () => {
  const rand = mulberry32(7);
  const generators: Record<string, (n: number) => Float32Array> = {
    random: (n) => Float32Array.from({ length: n }, () => rand()),
    ascending: (n) => Float32Array.from({ length: n }, (_, i) => i),
    descending: (n) => Float32Array.from({ length: n }, (_, i) => n - i),
    'all equal': (n) => new Float32Array(n).fill(0.5),
    'few distinct values': (n) => Float32Array.from({ length: n }, () => Math.floor(rand() * 4) / 4),
    'mostly zeros': (n) => Float32Array.from({ length: n }, () => (rand() < 0.9 ? 0 : rand())),
    'organ pipe': (n) => Float32Array.from({ length: n }, (_, i) => Math.min(i, n - 1 - i)),
  };

  for (const [name, make] of Object.entries(generators)) {
    it(`agrees with a full sort on ${name} inputs of several sizes, for every k tried`, () => {
      for (const n of [1, 2, 3, 25, 26, 1000, 50_000]) {
        const values = make(n);
        const reference = sortedDescending(values);
        const ks = new Set([1, 2, Math.ceil(n / 3), Math.floor(n / 2), n - 1, n].filter((k) => k >= 1 && k <= n));
        for (const k of ks) {
          expect(kthLargest(values.slice(), k), `${name}, n=${n}, k=${k}`).to.equal(reference[k - 1]);
        }
      }
    });
  }

  it('handles infinities', () => {
    expect(kthLargest(Float32Array.from([1, Infinity, 3, Infinity]), 2)).to.equal(Infinity);
    expect(kthLargest(Float32Array.from([1, Infinity, 3, Infinity]), 3)).to.equal(3);
  });

  it('rejects k outside [1, n]', () => {
    expect(() => kthLargest(new Float32Array(3), 0)).to.throw(RangeError, 'kthLargest: k must be an integer in [1, 3] (the number of values), received 0');
    expect(() => kthLargest(new Float32Array(3), 4)).to.throw(RangeError, /received 4/);
    expect(() => kthLargest(new Float32Array(3), 1.5)).to.throw(RangeError, /received 1\.5/);
  });
});

describe('pruning/keptCount', () => {
  it('computes max(round_half_to_even(n * (1 - s)), 1) in float32', () => {
    expect(keptCount(10, 0.2)).to.equal(8);
    expect(keptCount(10, 0.200000018)).to.equal(8);
    expect(keptCount(100, 0.5)).to.equal(50);
    expect(keptCount(5, 0.5)).to.equal(2); // 2.5 -> 2
    expect(keptCount(7, 0.5)).to.equal(4); // 3.5 -> 4
    expect(keptCount(3, 0.5)).to.equal(2); // 1.5 -> 2
    expect(keptCount(1, 0.5)).to.equal(1); // 0.5 -> 0, then at least 1
    expect(keptCount(100, 0.9999)).to.equal(1);
    expect(keptCount(100, 0)).to.equal(100);
    expect(keptCount(100, 1)).to.equal(1);
  });

  it('never exceeds n, even where float32(n) rounds up (n > 2^24)', () => {
    const n = 2 ** 24 + 3; // float32(n) = 2^24 + 4
    expect(Math.fround(n)).to.be.above(n);
    expect(keptCount(n, 0)).to.equal(n);
  });
});
