import { keptCount } from './keptCount';
import { kthLargest } from './kthLargest';

/** Result of {@link selectByMagnitude}. */
export interface MagnitudeSelection {
  /** 1 for kept entries, 0 for pruned ones, in the order of the input. */
  readonly mask: Float32Array;
  /** The k-th largest magnitude `t` (0 for an empty input). */
  readonly threshold: number;
  /** Number of kept entries (ones in `mask`). */
  readonly kept: number;
}

/**
 * TFMOT's element-wise magnitude selection (`pruning_impl.py::_update_mask`) on plain magnitudes:
 * keep `k = keptCount(n, sparsity)` entries, with threshold `t` = the k-th largest magnitude.
 *
 * - `exactTies: false` (TFMOT parity): keep every entry with magnitude >= t. When several entries
 *   equal t, more than k survive and the realised sparsity falls below the target.
 *   TFMOT also ORs in a one-hot at the flat index of the k-th element; that entry has magnitude
 *   t, so `>= t` already keeps it once NaN is excluded, and the one-hot is not materialised.
 * - `exactTies: true`: keep every entry above t, then the entries equal to t in ascending flat
 *   index order until exactly k are kept. This is precisely the set `tf.math.top_k` returns
 *   (it orders ties by lower index), so the realised sparsity is exactly `1 - k/n`.
 *
 * Cost: one copy, an O(n)-average selection (O(n log n) worst case), one or two O(n) passes.
 *
 * @param magnitudes - non-negative magnitudes without NaN; not modified.
 * @param sparsity - target fraction of zeros in [0, 1].
 * @param exactTies - break ties by flat index so that exactly k entries are kept.
 * @returns the 0/1 mask, the threshold and the kept count.
 */
export function selectByMagnitude(magnitudes: Float32Array, sparsity: number, exactTies: boolean): MagnitudeSelection {
  const n = magnitudes.length;
  if (n === 0) return { mask: new Float32Array(0), threshold: 0, kept: 0 };
  const k = keptCount(n, sparsity);
  // k == n (sparsity 0, common at the start of a decay) needs only the minimum: skip the copy.
  const threshold = k === n ? minimum(magnitudes) : kthLargest(magnitudes.slice(), k);
  const mask = new Float32Array(n);
  let kept = 0;
  if (!exactTies) {
    for (let i = 0; i < n; i++) {
      if (magnitudes[i] >= threshold) {
        mask[i] = 1;
        kept++;
      }
    }
    return { mask, threshold, kept };
  }
  for (let i = 0; i < n; i++) {
    if (magnitudes[i] > threshold) {
      mask[i] = 1;
      kept++;
    }
  }
  for (let i = 0; i < n && kept < k; i++) {
    if (magnitudes[i] === threshold) {
      mask[i] = 1;
      kept++;
    }
  }
  return { mask, threshold, kept };
}

function minimum(values: Float32Array): number {
  let min = Infinity;
  for (let i = 0; i < values.length; i++) if (values[i] < min) min = values[i];
  return min;
}
