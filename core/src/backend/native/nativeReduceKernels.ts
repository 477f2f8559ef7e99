/**
 * Native `Sum` and `Mean` over leading axes for the wasm backend (core/native/src/reduce.cc).
 *
 * Why: BatchNormalization's moments (two `Mean`s per layer), its gradient and every bias gradient
 * reduce NHWC tensors over N, H, W. tfjs-backend-wasm reduces only innermost axes and transposes
 * the whole tensor first — on DS-CNN `Sum` and `Mean` took ~430 ms of a step. Reductions over
 * other axis sets, over every axis, or of other dtypes run the fallback kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeKernelFactory } from '../nativeKernelProvider';
import type { NativeAddon } from './NativeAddon';
import { nativeKernelConfig } from './nativeKernel';

/** The native `Sum` and `Mean` factories, by tfjs kernel name. */
export function nativeReduceKernels(addon: NativeAddon): Map<string, NativeKernelFactory> {
  const reduce = (kernelName: string, mean: boolean): NativeKernelFactory => (options) =>
    nativeKernelConfig(kernelName, options, (inputs, attrs) => {
      const { x } = inputs;
      const { axis, keepDims } = attrs as unknown as tf.SumAttrs;
      if (x == null) return undefined;
      let axes: number[];
      try {
        axes = tf.util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
      } catch {
        return undefined;
      }
      // Leading axes 0..r-1 only, and not all of them.
      const r = axes.length;
      if (r === 0 || r >= x.shape.length || axes.some((v, i) => v !== i)) return undefined;
      const outer = tf.util.sizeFromShape(x.shape.slice(0, r));
      const rest = x.shape.slice(r);
      const inner = tf.util.sizeFromShape(rest);
      return {
        inputs: [x],
        outShape: keepDims ? [...x.shape.slice(0, r).map(() => 1), ...rest] : rest,
        run: (heap, [xo], out) => addon.reduceRows(heap, xo!, out, outer, inner, mean ? 1 / outer : 1),
      };
    });
  return new Map<string, NativeKernelFactory>([
    [tf.Sum, reduce(tf.Sum, false)],
    [tf.Mean, reduce(tf.Mean, true)],
  ]);
}
