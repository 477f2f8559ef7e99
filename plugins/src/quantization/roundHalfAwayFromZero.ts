import * as tf from '@tensorflow/tfjs';

/**
 * Rounds to the nearest integer, ties away from zero (C `std::round`, TFLite's `TfLiteRound`, the
 * MLIR quantizer's `rmNearestTiesToAway`).
 *
 * Neither built-in does this: `tf.round` rounds ties to even and `Math.round` rounds ties towards
 * +∞. The result is exact for every float: the fractional part of |x| is computed exactly
 * (`|x| − floor(|x|)` needs no rounding), instead of the common `floor(|x| + 0.5)`, whose addition
 * can round 0.49999997 up to 1 in float32.
 *
 * Accepts a number (returns a number) or a float tensor (returns a new tensor; the caller owns it).
 * @group Quantization numerics
 */
export function roundHalfAwayFromZero(x: number): number;
/**
 * Element-wise on a float tensor: returns a new tensor of the same shape (the caller owns it).
 * @group Quantization numerics
 */
export function roundHalfAwayFromZero<T extends tf.Tensor>(x: T): T;
export function roundHalfAwayFromZero(x: number | tf.Tensor): number | tf.Tensor {
  if (typeof x === 'number') {
    const a = Math.abs(x);
    const fl = Math.floor(a);
    const r = a - fl >= 0.5 ? fl + 1 : fl;
    // `+ 0` turns -0 into 0, so that callers storing integers never see a negative zero.
    return (x < 0 ? -r : r) + 0;
  }
  return tf.tidy(() => {
    const a = tf.abs(x);
    const fl = tf.floor(a);
    const up = tf.cast(tf.greaterEqual(tf.sub(a, fl), 0.5), 'float32');
    // `+ 0` turns -0 (from small negative inputs) into 0, as for numbers.
    return tf.add(tf.mul(tf.sign(x), tf.add(fl, up)), 0);
  });
}
