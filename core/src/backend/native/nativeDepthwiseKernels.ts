/**
 * Native `DepthwiseConv2dNative` and both of its gradients for the wasm backend
 * (core/native/src/depthwise.cc: channel-vectorised direct loops on the pool).
 *
 * Why: on DS-CNN and MobileNet the depthwise layers dominated the training step on wasm — the
 * forward kernel (~400 ms of a DS-CNN step) and the composed filter gradient (~400 ms) run far
 * below the machine's speed for what are a few million multiply-adds. NHWC float32 only; other
 * inputs run the fallback kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeKernelFactory } from '../nativeKernelProvider';
import type { NativeAddon } from './NativeAddon';
import { geometryOf, isChannelsLast, isUnitDilation, nativeKernelConfig, sameShape } from './nativeKernel';

type Shape4 = [number, number, number, number];

/** The depthwise family's native kernels, by tfjs kernel name. */
export function nativeDepthwiseKernels(addon: NativeAddon): Map<string, NativeKernelFactory> {
  const info = (xShape: number[], filterShape: number[], a: tf.DepthwiseConv2dNativeAttrs) =>
    tf.backend_util.computeConv2DInfo(
      xShape as Shape4, filterShape as Shape4, a.strides, a.dilations ?? 1, a.pad, a.dimRoundingMode, true);
  return new Map<string, NativeKernelFactory>([
    [tf.DepthwiseConv2dNative, (options) =>
      nativeKernelConfig(tf.DepthwiseConv2dNative, options, (inputs, attrs) => {
        const { x, filter } = inputs;
        const a = attrs as unknown as tf.DepthwiseConv2dNativeAttrs;
        if (x == null || filter == null || x.shape.length !== 4 || filter.shape.length !== 4 || !isChannelsLast(a.dataFormat)) return undefined;
        if (filter.shape[2] !== x.shape[3]) return undefined;
        const i = info(x.shape, filter.shape, a);
        const geometry = geometryOf(i);
        return {
          inputs: [x, filter],
          outShape: i.outShape,
          run: (heap, [xo, fo], out) => addon.depthwiseConv2d(heap, xo!, fo!, out, filter.shape[3]!, ...geometry),
        };
      })],
    [tf.DepthwiseConv2dNativeBackpropInput, (options) =>
      nativeKernelConfig(tf.DepthwiseConv2dNativeBackpropInput, options, (inputs, attrs) => {
        const { dy, filter } = inputs;
        const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs & { dataFormat?: string };
        // Dilated gradients: tfjs never asks for them (its gradient rejects dilations), so the
        // fallback keeps its error.
        if (dy == null || filter == null || dy.shape.length !== 4 || filter.shape.length !== 4 || !isChannelsLast(a.dataFormat) || !isUnitDilation(a.dilations)) return undefined;
        if (filter.shape[2] !== a.inputShape[3]) return undefined;
        const i = info(a.inputShape, filter.shape, a as unknown as tf.DepthwiseConv2dNativeAttrs);
        if (!sameShape(dy.shape, i.outShape)) return undefined;
        const geometry = geometryOf(i);
        return {
          inputs: [dy, filter],
          outShape: i.inShape.slice(),
          run: (heap, [d, f], out) => addon.depthwiseBackpropInput(heap, d!, f!, out, filter.shape[3]!, ...geometry),
        };
      })],
    [tf.DepthwiseConv2dNativeBackpropFilter, (options) =>
      nativeKernelConfig(tf.DepthwiseConv2dNativeBackpropFilter, options, (inputs, attrs) => {
        const { x, dy } = inputs;
        const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs & { dataFormat?: string };
        if (x == null || dy == null || x.shape.length !== 4 || !isChannelsLast(a.dataFormat) || !isUnitDilation(a.dilations)) return undefined;
        if (a.filterShape[2] !== x.shape[3]) return undefined;
        const i = info(x.shape, a.filterShape, a as unknown as tf.DepthwiseConv2dNativeAttrs);
        if (!sameShape(dy.shape, i.outShape)) return undefined;
        const geometry = geometryOf(i);
        return {
          inputs: [x, dy],
          outShape: a.filterShape.slice(),
          run: (heap, [xo, d], out) => addon.depthwiseBackpropFilter(heap, xo!, d!, out, a.filterShape[3], ...geometry),
        };
      })],
  ]);
}
