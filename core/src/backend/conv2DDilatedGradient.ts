/**
 * The gradient of `Conv2D` (the `tf.conv2d` op), dilations included.
 *
 * Why this exists: tfjs-core's gradient refuses dilations above 1 ("dilation rates greater than 1
 * are not yet supported in gradients"), so a dilated Conv2D / Conv1D cannot be trained in tfjs at
 * all. Dilated convolutions are common in segmentation and audio models users bring.
 *
 * How: with the filter spread out by the dilation ({@link dilateFilter}) the convolution is an
 * undilated one (TF allows dilation only with stride 1), so the input gradient is
 * `Conv2DBackpropInput` with that filter and the filter gradient is `Conv2DBackpropFilter` over
 * the spread-out filter's shape, of which every dilation-th tap is kept. Both run on whatever
 * kernels the backend has (collabopt's training kernels on wasm and cpu). The filter gradient
 * computes `((f − 1)·d + 1)² / f²` times the taps it keeps (2.8x for a 3×3 filter at dilation 2):
 * simple and exact, and small next to the forward and input-gradient work. Dilation 1 is passed
 * to tfjs-core's own gradient unchanged.
 */
import * as tf from '@tensorflow/tfjs';
import { dilateFilter, dilationPair, undilateFilterGradient } from './dilateFilter';

/** Makes the `Conv2D` gradient config; `stock` (tfjs-core's) handles dilation 1. */
export function conv2DDilatedGradient(stock: tf.GradConfig | undefined): tf.GradConfig {
  return {
    kernelName: tf.Conv2D,
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs) => {
      const a = attrs as unknown as tf.Conv2DAttrs;
      const [dh, dw] = dilationPair(a.dilations);
      if (stock != null && dh === 1 && dw === 1) return stock.gradFunc(dy, saved, attrs);
      const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
      const g = (Array.isArray(dy) ? dy[0]! : dy) as tf.Tensor4D;
      if (a.dataFormat === 'NCHW') {
        throw new Error(`Conv2D gradient (collabopt): dilations [${dh}, ${dw}] with dataFormat NCHW are not supported; use NHWC`);
      }
      const base = { strides: a.strides, pad: a.pad, dataFormat: 'NHWC', dimRoundingMode: a.dimRoundingMode } as const;
      return {
        x: () => {
          const spread = dilateFilter(filter, dh, dw);
          return tf.engine().runKernel(tf.Conv2DBackpropInput, { dy: g, filter: spread }, { ...base, inputShape: x.shape } as unknown as tf.NamedAttrMap) as tf.Tensor;
        },
        filter: () => {
          const [fh, fw, ci, co] = filter.shape;
          const spreadShape = [(fh - 1) * dh + 1, (fw - 1) * dw + 1, ci, co];
          const grad = tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy: g }, { ...base, filterShape: spreadShape } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
          return undilateFilterGradient(grad, dh, dw);
        },
      };
    },
  };
}
