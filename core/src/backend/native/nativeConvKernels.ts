/**
 * Native `Conv2D`, `FusedConv2D`, `Conv2DBackpropInput` and `Conv2DBackpropFilter` for the wasm
 * backend (im2col + the addon's packed, threaded SGEMM; see core/native/src/conv.cc).
 *
 * Why: these are most of a CNN training step. XNNPACK's forward convolution runs on one thread,
 * and the gradients have no fast wasm kernel (the composed ones run through several tf ops each).
 * NHWC float32 only; anything else (NCHW, other dtypes, fused activations other than
 * linear/relu/relu6, PReLU weights) runs the fallback kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeKernelFactory } from '../nativeKernelProvider';
import type { NativeAddon } from './NativeAddon';
import { geometryOf, isChannelsLast, isUnitDilation, nativeKernelConfig, sameShape } from './nativeKernel';

type Shape4 = [number, number, number, number];
type Dilations = number | [number, number] | undefined;

/** The addon's fused activation codes. */
const ACTIVATIONS: Readonly<Record<string, number>> = { linear: 0, relu: 1, relu6: 2 };

/** The conv family's native kernels, by tfjs kernel name. */
export function nativeConvKernels(addon: NativeAddon): Map<string, NativeKernelFactory> {
  const forward = (kernelName: string): NativeKernelFactory => (options) =>
    nativeKernelConfig(kernelName, options, (inputs, attrs) => {
      const { x, filter, bias, preluActivationWeights } = inputs;
      const a = attrs as unknown as tf.Conv2DAttrs & { activation?: string };
      const activation = ACTIVATIONS[a.activation ?? 'linear'];
      if (x == null || filter == null || x.shape.length !== 4 || filter.shape.length !== 4 || !isChannelsLast(a.dataFormat)) return undefined;
      if (filter.shape[2] !== x.shape[3] || activation == null || preluActivationWeights != null) return undefined;
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as Shape4, filter.shape as Shape4, a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode);
      if (bias != null && (bias.shape.length !== 1 || bias.shape[0] !== info.outChannels)) return undefined;
      const geometry = geometryOf(info);
      return {
        inputs: bias != null ? [x, filter, bias] : [x, filter],
        outShape: info.outShape,
        run: (heap, [xo, fo, bo], out) => addon.conv2d(heap, xo!, fo!, bo ?? -1, out, activation, ...geometry),
      };
    });
  return new Map<string, NativeKernelFactory>([
    [tf.Conv2D, forward(tf.Conv2D)],
    [tf.FusedConv2D, forward(tf.FusedConv2D)],
    [tf.Conv2DBackpropInput, (options) =>
      nativeKernelConfig(tf.Conv2DBackpropInput, options, (inputs, attrs) => {
        const { dy, filter } = inputs;
        const a = attrs as unknown as tf.Conv2DBackpropInputAttrs & { dilations?: Dilations };
        if (dy == null || filter == null || dy.shape.length !== 4 || !isChannelsLast(a.dataFormat) || !isUnitDilation(a.dilations)) return undefined;
        const info = tf.backend_util.computeConv2DInfo(
          a.inputShape as Shape4, filter.shape as Shape4, a.strides, 1, a.pad, a.dimRoundingMode);
        if (!sameShape(dy.shape, info.outShape) || !sameShape(filter.shape, [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels])) return undefined;
        const geometry = geometryOf(info);
        return {
          inputs: [dy, filter],
          outShape: info.inShape.slice(),
          run: (heap, [d, f], out) => addon.conv2dBackpropInput(heap, d!, f!, out, ...geometry),
        };
      })],
    [tf.Conv2DBackpropFilter, (options) =>
      nativeKernelConfig(tf.Conv2DBackpropFilter, options, (inputs, attrs) => {
        const { x, dy } = inputs;
        const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs & { dilations?: Dilations };
        if (x == null || dy == null || x.shape.length !== 4 || !isChannelsLast(a.dataFormat) || !isUnitDilation(a.dilations)) return undefined;
        const info = tf.backend_util.computeConv2DInfo(
          x.shape as Shape4, a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode);
        if (!sameShape(dy.shape, info.outShape)) return undefined;
        const geometry = geometryOf(info);
        return {
          inputs: [x, dy],
          outShape: a.filterShape.slice(),
          run: (heap, [xo, d], out) => addon.conv2dBackpropFilter(heap, xo!, d!, out, ...geometry),
        };
      })],
  ]);
}
