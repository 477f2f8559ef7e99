/**
 * Cuts a window out of the two spatial axes of a tensor, zero-padding where the window leaves the
 * tensor and cropping where it ends inside it.
 *
 * Why this exists: every training kernel reduces "padding, rounding mode, strides, explicit pads"
 * to one question — which input rows/columns does the convolution touch? Expressing the answer
 * as a single window (one pad and at most one slice) keeps all padding modes on one tested path,
 * including the cases where a window edge is negative (explicit pads larger than the filter) or
 * falls short of the input ('valid' with strides that do not divide the size).
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Returns `x` restricted to rows `[-top, -top + height)` and columns `[-left, -left + width)` of
 * the spatial axes `heightAxis` and `heightAxis + 1`; positions outside `x` are zero.
 *
 * @param x - tensor with spatial axes at `heightAxis`, `heightAxis + 1`.
 * @param heightAxis - index of the height axis (the width axis follows it).
 * @param top - rows of zeros before the first input row (negative: rows cropped instead).
 * @param height - number of rows of the result.
 * @param left - columns of zeros before the first input column (negative: cropped).
 * @param width - number of columns of the result.
 */
export function fitSpatialWindow(
  x: tf.Tensor,
  heightAxis: number,
  top: number,
  height: number,
  left: number,
  width: number,
): tf.Tensor {
  const inHeight = x.shape[heightAxis]!;
  const inWidth = x.shape[heightAxis + 1]!;
  const bottom = height - inHeight - top;
  const right = width - inWidth - left;
  let y = x;
  if (top > 0 || bottom > 0 || left > 0 || right > 0) {
    const paddings = x.shape.map((): [number, number] => [0, 0]);
    paddings[heightAxis] = [Math.max(0, top), Math.max(0, bottom)];
    paddings[heightAxis + 1] = [Math.max(0, left), Math.max(0, right)];
    y = tf.pad(y, paddings);
  }
  if (top < 0 || bottom < 0 || left < 0 || right < 0) {
    const begin = x.shape.map(() => 0);
    begin[heightAxis] = Math.max(0, -top);
    begin[heightAxis + 1] = Math.max(0, -left);
    const size = y.shape.slice();
    size[heightAxis] = height;
    size[heightAxis + 1] = width;
    y = tf.slice(y, begin, size);
  }
  return y;
}
