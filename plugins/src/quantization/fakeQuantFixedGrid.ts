import * as tf from '@tensorflow/tfjs';
import type { FixedActivationGrid } from '../common/fixedRangeActivations';
import { straightThroughEstimator } from './straightThroughEstimator';

/**
 * Rounds `x` onto a fixed int8 grid (level `clamp(floor(x / scale + 0.5) + zeroPoint, −128, 127)`,
 * value `(level − zeroPoint) · scale`): the grid TFLite's SOFTMAX, LOGISTIC and TANH kernels write
 * their int8 output on, whatever range training saw. Emulating it makes the fake-quant model
 * round where the file rounds (the file's output step is 1/256 for softmax and sigmoid).
 *
 * The gradient is the identity (straight-through, unclipped): the grid covers the activation's
 * whole output range, and a clipped estimator would stop the gradient of confident softmax or
 * sigmoid outputs (above 255/256), which TFMOT, quantizing nothing there, never does.
 * @param x float tensor of any shape.
 * @param grid the fixed grid (e.g. `FIXED_RANGE_ACTIVATIONS.softmax`).
 * @returns a new tensor of `x`'s shape; the caller owns it.
 * @group Quantization numerics
 */
export function fakeQuantFixedGrid(x: tf.Tensor, grid: FixedActivationGrid): tf.Tensor {
  const { scale, zeroPoint } = grid;
  return straightThroughEstimator(x, (v) =>
    tf.tidy(() => tf.mul(tf.sub(tf.clipByValue(tf.add(tf.floor(tf.add(tf.div(v, scale), 0.5)), zeroPoint), -128, 127), zeroPoint), scale)),
  );
}
