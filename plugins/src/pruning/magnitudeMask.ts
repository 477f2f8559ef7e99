import * as tf from '@tensorflow/tfjs';
import { absoluteValues } from './absoluteValues';
import { checkMaskSparsity } from './checkMaskSparsity';
import { selectByMagnitude } from './selectByMagnitude';

/**
 * Options of {@link magnitudeMask}.
 * @group Pruning masks
 */
export interface MagnitudeMaskOptions {
  /**
   * `false` (default, TFMOT parity): keep every weight whose magnitude equals the threshold, so
   * ties can leave the realised sparsity below the target. `true`: break ties by flat index
   * (lower index kept, as `tf.math.top_k` orders them) so that exactly `n - k` weights are pruned.
   */
  readonly exactTies?: boolean;
  /** Name of the weight (e.g. `'dense_1/kernel'`), used in error messages. */
  readonly label?: string;
}

/**
 * Result of a magnitude mask computation. The caller owns (and must dispose) `mask`.
 * @group Pruning masks
 */
export interface MagnitudeMaskResult<R extends tf.Rank = tf.Rank> {
  /** float32 0/1 tensor of the weight's shape: 1 = kept, 0 = pruned. */
  readonly mask: tf.Tensor<R>;
  /** The magnitude threshold `t` (TFMOT's threshold variable). */
  readonly threshold: number;
  /** Number of ones in `mask`. */
  readonly kept: number;
}

/**
 * TFMOT's element-wise magnitude mask for one weight tensor (one threshold per tensor):
 * with `n = size`, keep `k = max(round_half_to_even(n * (1 - sparsity)), 1)` weights; the
 * threshold `t` is the k-th largest `|w|`; `mask = |w| >= t` (see `selectByMagnitude` for the
 * tie rules and `exactTies`). At least one weight always survives, e.g. 0.9999 on 100 weights
 * keeps 1.
 *
 * Runs on the CPU side: the weights are read once (`dataSync`), the threshold is found by
 * selection in O(n) on average (O(n log n) worst case), and the mask is uploaded as a new tensor,
 * all inside `tf.tidy`, so nothing but the returned mask is left allocated.
 *
 * @param weights - float32 weight tensor of any shape.
 * @param sparsity - target fraction of zeros, in [0, 1] (schedules produce [0, 1)).
 * @param options - see {@link MagnitudeMaskOptions}.
 * @returns the mask, threshold and kept count; an empty tensor gives an empty mask and threshold 0.
 * @throws RangeError for a sparsity outside [0, 1] or NaN weights; TypeError for a non-float32 or
 *   disposed tensor.
 * @group Pruning masks
 */
export function magnitudeMask<R extends tf.Rank>(
  weights: tf.Tensor<R>,
  sparsity: number,
  options: MagnitudeMaskOptions = {},
): MagnitudeMaskResult<R> {
  const where = `magnitudeMask(${options.label ?? 'weights'})`;
  checkMaskSparsity(where, sparsity);
  let threshold = 0;
  let kept = 0;
  const mask = tf.tidy(() => {
    const selection = selectByMagnitude(absoluteValues(weights, where), sparsity, options.exactTies === true);
    threshold = selection.threshold;
    kept = selection.kept;
    return tf.tensor(selection.mask, weights.shape, 'float32') as tf.Tensor<R>;
  });
  return { mask, threshold, kept };
}
