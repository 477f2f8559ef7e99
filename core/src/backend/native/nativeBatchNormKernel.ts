/**
 * Native `FusedBatchNorm` for the wasm backend (core/native/src/batchNorm.cc).
 *
 * Why: BatchNormalization runs this op in training too (with the batch moments), once per layer
 * and step; tfjs-backend-wasm's kernel took ~11 ms per DS-CNN layer at batch 64, the largest
 * kernel of the step once the convolutions were native. Statistics must have one value or one per
 * channel (the last axis), which is what tfjs layers pass; other shapes run the fallback.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeKernelFactory } from '../nativeKernelProvider';
import type { NativeAddon } from './NativeAddon';
import { nativeKernelConfig } from './nativeKernel';

/** The native `FusedBatchNorm` factory. */
export function nativeBatchNormKernel(addon: NativeAddon): NativeKernelFactory {
  return (options) =>
    nativeKernelConfig(tf.FusedBatchNorm, options, (inputs, attrs) => {
      const { x, mean, variance, offset, scale } = inputs;
      const { varianceEpsilon } = attrs as unknown as tf.FusedBatchNormAttrs;
      if (x == null || mean == null || variance == null || x.shape.length < 1) return undefined;
      const channels = x.shape[x.shape.length - 1]!;
      const stats = [mean, variance, offset, scale];
      const sizes = stats.map((t) => (t == null ? 1 : tf.util.sizeFromShape(t.shape)));
      if (sizes.some((n) => n !== 1 && n !== channels)) return undefined;
      const present = stats.filter((t): t is tf.TensorInfo => t != null);
      return {
        inputs: [x, ...present],
        outShape: x.shape.slice(),
        run: (heap, offsets, out) => {
          const at = (t: tf.TensorInfo | undefined) => (t == null ? -1 : offsets[1 + present.indexOf(t)]!);
          addon.batchNorm(heap, offsets[0]!, at(mean), at(variance), at(offset), at(scale), out,
            tf.util.sizeFromShape(x.shape) / channels, channels, varianceEpsilon, sizes[0]!, sizes[1]!, sizes[2]!, sizes[3]!);
        },
      };
    });
}
