import { describeValue } from '@collabopt/core';
import * as tf from '@tensorflow/tfjs';

/**
 * Reads a float32 weight tensor once and returns its magnitudes `|w|`, row-major. The mask
 * algorithms rank these magnitudes, so the checks that make a ranking meaningless are made here,
 * once, with errors that say which weight and where.
 *
 * @param weights - a live float32 tensor.
 * @param where - the caller and weight, for error messages, e.g. `'magnitudeMask(dense/kernel)'`.
 * @returns a new `Float32Array` of `weights.size` magnitudes.
 * @throws TypeError if `weights` is not a live float32 tensor.
 * @throws RangeError if `weights` contains NaN (no magnitude order exists; pruning would be arbitrary).
 */
export function absoluteValues(weights: tf.Tensor, where: string): Float32Array {
  if (!(weights instanceof tf.Tensor)) {
    throw new TypeError(`${where}: weights must be a tf.Tensor, received ${describeValue(weights)}`);
  }
  if (weights.isDisposed) {
    throw new TypeError(`${where}: weights tensor of shape [${weights.shape.join(', ')}] is already disposed`);
  }
  if (weights.dtype !== 'float32') {
    throw new TypeError(`${where}: weights must be float32, received a tensor of dtype ${weights.dtype}`);
  }
  const data = weights.dataSync() as Float32Array;
  const n = data.length;
  const magnitudes = new Float32Array(n);
  let nanCount = 0;
  let firstNaN = -1;
  for (let i = 0; i < n; i++) {
    const v = data[i];
    if (v !== v) {
      if (nanCount++ === 0) firstNaN = i;
    }
    magnitudes[i] = v < 0 ? -v : v;
  }
  if (nanCount > 0) {
    throw new RangeError(
      `${where}: weights of shape [${weights.shape.join(', ')}] contain ${nanCount} NaN value(s), the first at flat index ` +
        `${firstNaN}; magnitudes cannot be ranked (the training has probably diverged)`,
    );
  }
  return magnitudes;
}
