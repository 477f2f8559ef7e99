/**
 * The gradient of `DepthwiseConv2dNative` (the `tf.depthwiseConv2d` op), dilations included.
 *
 * Why this exists: tfjs-core's gradient refuses dilations above 1, so a dilated
 * SeparableConv2D (whose depthwise half is this op) cannot be trained in tfjs.
 *
 * How ({@link dilatedGradient}), as for Conv2D: the dilated depthwise convolution is an undilated one
 * with the filter spread out (`dilateFilter`); the input gradient is
 * `DepthwiseConv2dNativeBackpropInput` with that filter, the filter gradient
 * `DepthwiseConv2dNativeBackpropFilter` over its shape with every dilation-th tap kept. Dilation
 * 1 goes to tfjs-core's own gradient.
 */
import * as tf from '@tensorflow/tfjs';
import { dilatedGradient } from './dilatedGradient';

/** Makes the `DepthwiseConv2dNative` gradient config; `stock` (tfjs-core's) handles dilation 1. */
export function depthwiseConv2dNativeDilatedGradient(stock: tf.GradConfig | undefined): tf.GradConfig {
  return dilatedGradient(
    {
      kernelName: tf.DepthwiseConv2dNative,
      backpropInput: tf.DepthwiseConv2dNativeBackpropInput,
      backpropFilter: tf.DepthwiseConv2dNativeBackpropFilter,
      baseAttrs: (attrs) => {
        const a = attrs as unknown as tf.DepthwiseConv2dNativeAttrs;
        return { strides: a.strides, pad: a.pad, dimRoundingMode: a.dimRoundingMode, dilations: 1 };
      },
    },
    stock,
  );
}
