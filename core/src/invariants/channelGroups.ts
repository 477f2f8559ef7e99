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

/** Counts distinct values per channel group; returns the largest count and the group that has it. */
export function maxDistinctPerGroup(values: ArrayLike<number>, channels: number | null): { count: number; group: number } {
  const groups = channels ?? 1;
  const sets: Set<number>[] = Array.from({ length: groups }, () => new Set<number>());
  for (let i = 0; i < values.length; i++) sets[groupOf(i, channels)].add(values[i]);
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
