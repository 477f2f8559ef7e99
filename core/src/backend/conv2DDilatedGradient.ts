/**
 * The gradient of `Conv2D` (the `tf.conv2d` op), dilations included.
 *
 * Why this exists: tfjs-core's gradient refuses dilations above 1 ("dilation rates greater than 1
 * are not yet supported in gradients"), so a dilated Conv2D / Conv1D cannot be trained in tfjs at
 * all. Dilated convolutions are common in segmentation and audio models users bring.
 *
 * How ({@link dilatedGradient}): with the filter spread out by the dilation the convolution is an
 * undilated one, so the input gradient is `Conv2DBackpropInput` with that filter and the filter
 * gradient is `Conv2DBackpropFilter` over the spread-out filter's shape, of which every
 * dilation-th tap is kept. Both run on whatever
 * kernels the backend has (collabopt's training kernels on wasm and cpu). The filter gradient
 * computes `((f − 1)·d + 1)² / f²` times the taps it keeps (2.8x for a 3×3 filter at dilation 2):
 * simple and exact, and small next to the forward and input-gradient work. Dilation 1 is passed
 * to tfjs-core's own gradient unchanged.
 */
import * as tf from '@tensorflow/tfjs';
import { dilatedGradient } from './dilatedGradient';

/** Makes the `Conv2D` gradient config; `stock` (tfjs-core's) handles dilation 1. */
export function conv2DDilatedGradient(stock: tf.GradConfig | undefined): tf.GradConfig {
  return dilatedGradient(
    {
      kernelName: tf.Conv2D,
      backpropInput: tf.Conv2DBackpropInput,
      backpropFilter: tf.Conv2DBackpropFilter,
      baseAttrs: (attrs, [dh, dw]) => {
        const a = attrs as unknown as tf.Conv2DAttrs;
        if (a.dataFormat === 'NCHW') {
          throw new Error(`Conv2D gradient (collabopt): dilations [${dh}, ${dw}] with dataFormat NCHW are not supported; use NHWC`);
        }
        return { strides: a.strides, pad: a.pad, dataFormat: 'NHWC', dimRoundingMode: a.dimRoundingMode };
      },
    },
    stock,
  );
}
