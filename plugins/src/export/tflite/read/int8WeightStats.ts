import type { WeightStats } from '../../weightStats';

/**
 * {@link WeightStats} of int8 levels, in O(n) with lookup tables instead of sorting: an int8
 * tensor has at most 256 distinct values, so "seen" bitmaps per channel are small. Same result as
 * `weightStats` on the same numbers (the general version sorts, which dominates the export time
 * of a 4M-weight model).
 *
 * @param values the stored levels.
 * @param channels number of output channels.
 * @param layout where the output channel sits: `first` (`[out, ...]`: element j is in channel
 *   ⌊j / (n / channels)⌋) or `last` (`[..., out]`: channel j % channels).
 */
export function int8WeightStats(values: Int8Array, channels: number, layout: 'first' | 'last'): WeightStats {
  const n = values.length;
  const seen = new Uint8Array(channels * 256);
  const perChannel = new Uint16Array(channels);
  const all = new Uint8Array(256);
  let zeros = 0;
  let distinct = 0;
  const per = n / channels;
  for (let j = 0; j < n; j++) {
    const v = values[j];
    if (v === 0) zeros++;
    const level = v + 128;
    if (all[level] === 0) {
      all[level] = 1;
      distinct++;
    }
    const c = layout === 'last' ? j % channels : (j / per) | 0;
    const slot = c * 256 + level;
    if (seen[slot] === 0) {
      seen[slot] = 1;
      perChannel[c]++;
    }
  }
  let most = 0;
  for (let c = 0; c < channels; c++) if (perChannel[c] > most) most = perChannel[c];
  return { size: n, sparsity: n === 0 ? 0 : zeros / n, distinct, distinctPerChannel: most };
}
