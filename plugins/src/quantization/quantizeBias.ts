import * as tf from '@tensorflow/tfjs';
import { roundHalfAwayFromZero } from './roundHalfAwayFromZero';

/**
 * Options of {@link quantizeBias}.
 * @group Quantization numerics
 */
export interface QuantizeBiasOptions {
  /**
   * What to do when `round(bias / scale)` does not fit int32: `'throw'` (default) or `'clamp'` to
   * ±(2^31 − 1), which is what TFLite's quantizer does silently.
   */
  readonly onOverflow?: 'throw' | 'clamp';
}

/**
 * An int32 bias with its scales (zero points are all 0).
 * @group Quantization numerics
 */
export interface QuantizedBias {
  /** One level per bias element, in [−(2^31 − 1), 2^31 − 1]. */
  readonly q: Int32Array;
  /**
   * float32 scales `inputScale · weightScale`: one per weight scale (length 1 for a per-tensor
   * weight, one per output channel for a per-channel weight, as TFLite stores them).
   */
  readonly scales: Float32Array;
}

const INT32_LIMIT = 2 ** 31 - 1;

function toNumbers(what: string, v: tf.Tensor | ArrayLike<number>): ArrayLike<number> {
  if (v instanceof tf.Tensor) {
    if (v.rank !== 1) throw new RangeError(`quantizeBias: ${what} must be a rank-1 tensor, got shape [${v.shape.join(', ')}]`);
    return v.dataSync() as ArrayLike<number>;
  }
  return v;
}

/**
 * Quantizes a bias to int32 for TFLite's int8 kernels: `scale_c = inputScale · weightScale_c` and
 * `q = round(bias / scale_c)` (ties away from zero), zero point 0. With that scale the int32
 * accumulator `Σ q_in · q_w` and the bias are in the same units, so the kernel can add them.
 *
 * Biases are not fake-quantized during training (as in TFMOT): the int32 step is
 * ~1e-4 of an int8 step, far below any effect on accuracy.
 *
 * Porting note: TFLite clamps an overflowing bias to the int32 range without a word, which
 * silently changes that channel's output. Here an overflow throws (naming the element, its value
 * and the scale) unless `onOverflow: 'clamp'` asks for TFLite's behaviour. It happens when a
 * channel's weights are tiny but its bias is not, e.g. weights decayed to ~1e-7.
 *
 * @param bias the float bias, rank 1 (a tensor is read back).
 * @param inputScale the scale of the layer's input activation (> 0, finite).
 * @param weightScales the weight's scale (a number, or length 1: per tensor) or one per output
 *   channel (length = bias length), e.g. `quantizeWeightsSymmetric(...).scales`.
 * @throws RangeError for non-finite or non-positive scales, non-finite bias values, a length
 *   mismatch, or an overflow (with `onOverflow: 'throw'`).
 * @group Quantization numerics
 */
export function quantizeBias(
  bias: tf.Tensor | ArrayLike<number>,
  inputScale: number,
  weightScales: number | ArrayLike<number>,
  options: QuantizeBiasOptions = {},
): QuantizedBias {
  const onOverflow = options.onOverflow ?? 'throw';
  if (onOverflow !== 'throw' && onOverflow !== 'clamp') {
    throw new RangeError(`quantizeBias: options.onOverflow must be 'throw' or 'clamp', got ${String(onOverflow)}`);
  }
  if (typeof inputScale !== 'number' || !Number.isFinite(inputScale) || !(inputScale > 0)) {
    throw new RangeError(`quantizeBias: inputScale must be a finite number > 0, got ${String(inputScale)}`);
  }
  const b = toNumbers('bias', bias);
  const ws: ArrayLike<number> = typeof weightScales === 'number' ? [weightScales] : weightScales;
  if (ws.length !== 1 && ws.length !== b.length) {
    throw new RangeError(
      `quantizeBias: weightScales must have length 1 (per tensor) or ${b.length} (one per bias element), got length ${ws.length}`,
    );
  }
  const scales = new Float32Array(ws.length);
  for (let c = 0; c < ws.length; c++) {
    const w = ws[c];
    if (typeof w !== 'number' || !Number.isFinite(w) || !(w > 0)) {
      throw new RangeError(`quantizeBias: weightScales[${c}] must be a finite number > 0, got ${String(w)}`);
    }
    scales[c] = inputScale * w;
    if (!(scales[c] > 0) || !Number.isFinite(scales[c])) {
      throw new RangeError(
        `quantizeBias: the bias scale of channel ${c}, inputScale ${inputScale} × weightScales[${c}] ${w}, is ${scales[c]} in float32`,
      );
    }
  }
  const q = new Int32Array(b.length);
  for (let i = 0; i < b.length; i++) {
    const v = b[i];
    if (!Number.isFinite(v)) throw new RangeError(`quantizeBias: bias[${i}] is ${v}; only finite biases can be quantized`);
    const s = scales[ws.length === 1 ? 0 : i];
    let level = roundHalfAwayFromZero(Math.fround(v) / s);
    if (Math.abs(level) > INT32_LIMIT) {
      if (onOverflow === 'throw') {
        throw new RangeError(
          `quantizeBias: bias[${i}] = ${v} at scale ${s} (inputScale × weight scale) is ${level} levels, outside int32 ±${INT32_LIMIT}; ` +
            `the channel's weight scale is too small for its bias (pass onOverflow: 'clamp' to clamp as TFLite does)`,
        );
      }
      level = Math.sign(level) * INT32_LIMIT;
    }
    q[i] = level;
  }
  return { q, scales };
}
