import * as tf from '@tensorflow/tfjs';
import { straightThroughEstimator } from './straightThroughEstimator';

/** What {@link averagePoolOnInputGrid} reads of a tfjs AveragePooling2D. */
interface AveragePoolFields {
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: 'valid' | 'same';
  readonly dataFormat?: 'channelsFirst' | 'channelsLast';
}

/**
 * How many input cells each output of a SAME-padded AveragePooling2D averages, as a
 * `[1, outH, outW, 1]` tensor (TF and TFLite average over the cells inside the input only), or
 * null for layers this does not describe (VALID padding, channels first, unknown input size).
 * @group Quantization numerics
 */
export function averagePoolCounts(layer: tf.layers.Layer): tf.Tensor4D | null {
  const l = layer as unknown as AveragePoolFields;
  const shape = (layer.input as tf.SymbolicTensor).shape;
  if (l.padding !== 'same' || l.dataFormat === 'channelsFirst' || typeof shape[1] !== 'number' || typeof shape[2] !== 'number') return null;
  const axis = (size: number, k: number, s: number): number[] => {
    const out = Math.ceil(size / s);
    const before = Math.floor(Math.max((out - 1) * s + k - size, 0) / 2);
    return Array.from({ length: out }, (_, i) => Math.min(i * s - before + k, size) - Math.max(i * s - before, 0));
  };
  const rows = axis(shape[1], l.poolSize[0], l.strides[0]);
  const cols = axis(shape[2], l.poolSize[1], l.strides[1]);
  return tf.tensor4d(rows.flatMap((r) => cols.map((c) => r * c)), [1, rows.length, cols.length, 1]);
}

/**
 * A SAME-padded average pooling's output as TFLite's int8 AVERAGE_POOL_2D writes it: on its
 * input's grid (scale, int8 zero point), the sum of the input's int8 levels divided by the count
 * and rounded half away from zero in integers, `(acc ± count/2) / count`. `x` is the float average
 * of values on that grid; the level sums are recovered exactly (integers far below 2^24). The
 * file then requantizes onto the layer's own grid, which the caller's fake-quant emulates.
 * Straight-through gradient.
 * @param counts {@link averagePoolCounts} of the layer.
 * @group Quantization numerics
 */
export function averagePoolOnInputGrid(x: tf.Tensor, counts: tf.Tensor, scale: tf.Scalar | number, zeroPoint: tf.Scalar | number): tf.Tensor {
  return straightThroughEstimator(x, (v) =>
    tf.tidy(() => {
      const acc = tf.round(tf.mul(tf.add(tf.div(v, scale), zeroPoint), counts));
      const half = tf.floor(tf.div(counts, 2));
      const level = tf.mul(tf.sign(acc), tf.floor(tf.div(tf.add(tf.abs(acc), half), counts)));
      return tf.mul(tf.sub(level, zeroPoint), scale);
    }),
  );
}
