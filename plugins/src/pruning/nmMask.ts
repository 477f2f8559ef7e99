import * as tf from '@tensorflow/tfjs';
import { absoluteValues } from './absoluteValues';
import { checkNM } from './checkNM';
import { nmGroupLayout } from './nmGroupLayout';

/**
 * Options of {@link nmMask}.
 * @group Pruning masks
 */
export interface NMMaskOptions {
  /** Zeros per group. Default 2. */
  readonly m?: number;
  /** Group length. Default 4. Requires 0 < m < n. */
  readonly n?: number;
  /** Name of the weight, used in error messages. */
  readonly label?: string;
}

/**
 * Result of {@link nmMask}. The caller owns (and must dispose) `mask`.
 * @group Pruning masks
 */
export interface NMMaskResult<R extends tf.Rank = tf.Rank> {
  /** float32 0/1 tensor of the weight's shape. */
  readonly mask: tf.Tensor<R>;
  /** Number of ones in `mask`. */
  readonly kept: number;
}

// Above this group length, ranking by pairwise comparison (O(n^2) per group) loses to sorting.
const PAIRWISE_MAX_GROUP = 16;

/**
 * TFMOT's N:M ("m by n") structured mask: at least `m` zeros in every `n` consecutive weights
 * along the input-channel axis of the TFLite layout (default 2:4, the pattern sparse tensor cores
 * and XNNPACK accelerate). The kernel — Dense `[in, out]` or Conv2D `[h, w, in, out]` — is viewed
 * as `[out (*h*w), in]`; each row is cut into groups of `n` columns, the top `n - m` magnitudes
 * of each group are kept (equal magnitudes: lower column kept, as `tf.math.top_k` does), and the
 * view is mapped back. A last group shorter than `n` keeps up to `n - m` of its real weights, as
 * TFMOT's zero padding does: 7 input channels at 2:4 keep 2 + 2 and prune 3 of every 7.
 *
 * The schedule plays no part here: TFMOT computes this mask once, at step 1, and freezes it.
 * Runs on the CPU side in O(weights) (one read, one pass), inside `tf.tidy`.
 *
 * @param weights - float32 Dense or Conv2D kernel in tfjs layout.
 * @param options - see {@link NMMaskOptions}.
 * @returns the mask (caller disposes) and the kept count.
 * @throws RangeError unless m and n are integers with 0 < m < n, or for NaN weights; TypeError
 *   for other ranks (the message lists the supported shapes) or a non-float32 / disposed tensor.
 * @group Pruning masks
 */
export function nmMask<R extends tf.Rank>(weights: tf.Tensor<R>, options: NMMaskOptions = {}): NMMaskResult<R> {
  const where = `nmMask(${options.label ?? 'weights'})`;
  const { m, n } = checkNM(where, options.m ?? 2, options.n ?? 4);
  let kept = 0;
  const mask = tf.tidy(() => {
    const magnitudes = absoluteValues(weights, where);
    nmGroupLayout(weights.shape, 'tf', where); // rejects unsupported ranks with the supported shapes
    const shape = weights.shape;
    const [inChannels, outChannels] = shape.slice(-2);
    const spatial = shape.length === 4 ? shape[0] * shape[1] : 1;
    const keepPerGroup = n - m;
    const out = new Float32Array(magnitudes.length);
    const group = new Float64Array(n);
    const order = Array.from({ length: n }, (_, i) => i);
    // Memory is [spatial][in][out]. Walking output channels innermost reads each group's n input
    // rows as n sequential streams; walking TFLite rows instead would jump `out` floats per read.
    for (let s = 0; s < spatial; s++) {
      for (let start = 0; start < inChannels; start += n) {
        const length = Math.min(n, inChannels - start);
        const base = (s * inChannels + start) * outChannels;
        if (length <= keepPerGroup) {
          out.fill(1, base, base + length * outChannels);
          kept += length * outChannels;
          continue;
        }
        for (let o = 0; o < outChannels; o++) {
          const first = base + o;
          for (let j = 0; j < length; j++) group[j] = magnitudes[first + j * outChannels];
          if (length <= PAIRWISE_MAX_GROUP) {
            // Kept if fewer than keepPerGroup elements beat it (larger, or equal and earlier).
            for (let j = 0; j < length; j++) {
              const v = group[j];
              let beaten = 0;
              for (let l = 0; l < length && beaten < keepPerGroup; l++) {
                if (group[l] > v || (group[l] === v && l < j)) beaten++;
              }
              if (beaten < keepPerGroup) out[first + j * outChannels] = 1;
            }
          } else {
            const ranked = order.slice(0, length).sort((a, b) => group[b] - group[a] || a - b);
            for (let j = 0; j < keepPerGroup; j++) out[first + ranked[j] * outChannels] = 1;
          }
        }
        kept += keepPerGroup * outChannels;
      }
    }
    return tf.tensor(out, shape, 'float32') as tf.Tensor<R>;
  });
  return { mask, kept };
}
