/**
 * Native `MaxPool` and `MaxPoolGrad` for the wasm backend (core/native/src/pool.cc).
 *
 * Why: `MaxPoolGrad` is a scalar loop in tfjs-backend-wasm (~12 ms of an mnist-node step).
 * NHWC float32, dilation 1 (what tfjs's pooling ops produce); other inputs run the fallback.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeKernelFactory } from '../nativeKernelProvider';
import type { NativeAddon } from './NativeAddon';
import { geometryOf, nativeKernelConfig, sameShape } from './nativeKernel';

type Shape4 = [number, number, number, number];

/** The max-pool family's native kernels, by tfjs kernel name. */
export function nativePoolKernels(addon: NativeAddon): Map<string, NativeKernelFactory> {
  const poolInfo = (shape: number[], a: tf.MaxPoolAttrs) =>
    tf.backend_util.computePool2DInfo(shape as Shape4, a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
  return new Map<string, NativeKernelFactory>([
    [tf.MaxPool, (options) =>
      nativeKernelConfig(tf.MaxPool, options, (inputs, attrs) => {
        const { x } = inputs;
        if (x == null || x.shape.length !== 4) return undefined;
        const info = poolInfo(x.shape, attrs as unknown as tf.MaxPoolAttrs);
        const geometry = geometryOf(info);
        return { inputs: [x], outShape: info.outShape, run: (heap, [xo], out) => addon.maxPool(heap, xo!, out, ...geometry) };
      })],
    [tf.MaxPoolGrad, (options) =>
      nativeKernelConfig(tf.MaxPoolGrad, options, (inputs, attrs) => {
        const { dy, input } = inputs;
        if (dy == null || input == null || input.shape.length !== 4) return undefined;
        const info = poolInfo(input.shape, attrs as unknown as tf.MaxPoolAttrs);
        if (!sameShape(dy.shape, info.outShape)) return undefined;
        const geometry = geometryOf(info);
        return {
          inputs: [dy, input],
          outShape: input.shape.slice(),
          run: (heap, [d, xo], out) => addon.maxPoolGrad(heap, d!, xo!, out, ...geometry),
        };
      })],
  ]);
}
