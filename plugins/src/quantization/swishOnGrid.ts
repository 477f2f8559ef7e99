import * as tf from '@tensorflow/tfjs';
import type { FixedActivationGrid } from '../common/fixedRangeActivations';
import { fakeQuantFixedGrid } from './fakeQuantFixedGrid';

/**
 * swish as an int8 TFLite file computes it: `x · q(σ(x))`, σ(x) rounded onto LOGISTIC's fixed
 * output grid before the MUL (whose output the caller quantizes onto the layer's range). The
 * gradient of the rounding is straight-through (`fakeQuantFixedGrid`).
 * @param grid the grid of σ(x) (`FIXED_RANGE_ACTIVATIONS.sigmoid`).
 * @group Quantization numerics
 */
export function swishOnGrid(x: tf.Tensor, grid: FixedActivationGrid): tf.Tensor {
  return tf.tidy(() => tf.mul(x, fakeQuantFixedGrid(tf.sigmoid(x), grid)));
}
