/**
 * Per-channel invariants group a weight's elements by output channel. In channels-last kernels the
 * channel of flat element `i` is `i % channels`, where `channels` is the product of the trailing
 * dimensions that make up the output channel: the last dimension for Dense/Conv ([.., out]), the
 * last two for DepthwiseConv2D ([h, w, in, multiplier] → in·multiplier real output channels).
 * `null` means one group: the whole tensor.
 * @internal
 */
export function groupOf(index: number, channels: number | null): number {
  return channels === null ? 0 : index % channels;
}

/**
 * Counts distinct values per channel group (−0 and 0 are one value, every NaN together one) and
 * returns the largest count and the group that has it (the first such group).
 *
 * With a `limit`, counting stops at the first group that exceeds it: the result is then
 * `limit + 1` ("more than `limit`") and that group. This is the every-epoch `clusters` check, so
 * it allocates nothing per value: each group keeps its distinct values sorted in a row of
 * `limit + 1` slots (one buffer for all groups) and looks each value up by bisection, O(n log k).
 * Without a limit (or a large one) the exact count comes from sorting a copy of each group.
 */
export function maxDistinctPerGroup(values: ArrayLike<number>, channels: number | null, limit = Infinity): { count: number; group: number } {
  const groups = channels ?? 1;
  return limit <= BOUNDED_LIMIT ? boundedCount(values, channels, groups, limit) : exactCount(values, channels, groups);
}

/** Largest limit counted in bounded rows; above it a group's row would cost more than a sorted copy. */
const BOUNDED_LIMIT = 4096;

function boundedCount(values: ArrayLike<number>, channels: number | null, groups: number, limit: number): { count: number; group: number } {
  const width = Math.max(0, Math.floor(limit)) + 1;
  const rows = new Float64Array(groups * width);
  const counts = new Int32Array(groups);
  const nan = new Uint8Array(groups);
  for (let i = 0; i < values.length; i++) {
    const g = groupOf(i, channels);
    let v = values[i]!;
    if (v !== v) {
      if (nan[g]) continue;
      nan[g] = 1;
      if (counts[g]! + 1 > limit) return { count: Math.floor(limit) + 1, group: g };
      continue;
    }
    if (v === 0) v = 0; // −0 is 0
    const base = g * width;
    const n = counts[g]!;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rows[base + mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo < n && rows[base + lo] === v) continue;
    if (n + nan[g]! + 1 > limit) return { count: Math.floor(limit) + 1, group: g };
    rows.copyWithin(base + lo + 1, base + lo, base + n);
    rows[base + lo] = v;
    counts[g] = n + 1;
  }
  return largest(groups, (g) => counts[g]! + nan[g]!);
}

function exactCount(values: ArrayLike<number>, channels: number | null, groups: number): { count: number; group: number } {
  const perGroup = Math.ceil(values.length / groups);
  const buffer = new Float64Array(perGroup);
  const distinct = new Int32Array(groups);
  for (let g = 0; g < groups; g++) {
    let m = 0;
    for (let i = g; i < values.length; i += groups) buffer[m++] = values[i]!;
    const sorted = buffer.subarray(0, m).sort(); // numeric; −0 before 0, NaN last
    let count = 0;
    let nan = 0;
    for (let j = 0; j < m; j++) {
      const v = sorted[j]!;
      if (v !== v) nan = 1;
      else if (j === 0 || v !== sorted[j - 1]) count++; // −0 !== 0 is false: one value
    }
    distinct[g] = count + nan;
  }
  return largest(groups, (g) => distinct[g]!);
}

function largest(groups: number, countOf: (g: number) => number): { count: number; group: number } {
  let count = 0;
  let group = 0;
  for (let g = 0; g < groups; g++) {
    if (countOf(g) > count) {
      count = countOf(g);
      group = g;
    }
  }
  return { count, group };
}
