/**
 * The gradient of `DepthwiseConv2dNative` (the `tf.depthwiseConv2d` op), dilations included.
 *
 * Why this exists: tfjs-core's gradient refuses dilations above 1, so a dilated
 * SeparableConv2D (whose depthwise half is this op) cannot be trained in tfjs.
 *
 * How: as {@link conv2DDilatedGradient}: the dilated depthwise convolution is an undilated one
 * with the filter spread out ({@link dilateFilter}); the input gradient is
 * `DepthwiseConv2dNativeBackpropInput` with that filter, the filter gradient
 * `DepthwiseConv2dNativeBackpropFilter` over its shape with every dilation-th tap kept. Dilation
 * 1 goes to tfjs-core's own gradient.
 */
import * as tf from '@tensorflow/tfjs';
import { dilateFilter, dilationPair, undilateFilterGradient } from './dilateFilter';

/** Makes the `DepthwiseConv2dNative` gradient config; `stock` (tfjs-core's) handles dilation 1. */
export function depthwiseConv2dNativeDilatedGradient(stock: tf.GradConfig | undefined): tf.GradConfig {
  return {
    kernelName: tf.DepthwiseConv2dNative,
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs) => {
      const a = attrs as unknown as tf.DepthwiseConv2dNativeAttrs;
      const [dh, dw] = dilationPair(a.dilations);
      if (stock != null && dh === 1 && dw === 1) return stock.gradFunc(dy, saved, attrs);
      const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
      const g = (Array.isArray(dy) ? dy[0]! : dy) as tf.Tensor4D;
      const base = { strides: a.strides, pad: a.pad, dimRoundingMode: a.dimRoundingMode, dilations: 1 };
      return {
        x: () => {
          const spread = dilateFilter(filter, dh, dw);
          return tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy: g, filter: spread }, { ...base, inputShape: x.shape } as unknown as tf.NamedAttrMap) as tf.Tensor;
        },
        filter: () => {
          const [fh, fw, c, m] = filter.shape;
          const spreadShape = [(fh - 1) * dh + 1, (fw - 1) * dw + 1, c, m];
          const grad = tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy: g }, { ...base, filterShape: spreadShape } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
          return undilateFilterGradient(grad, dh, dw);
        },
      };
    },
  };
}
