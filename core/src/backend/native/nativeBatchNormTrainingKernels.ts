/**
 * Native BatchNormalization training kernels for the wasm backend
 * (core/native/src/batchNormTraining.cc): {@link BATCH_NORM_TRAINING_KERNEL} (batch statistics
 * and normalisation in one kernel) and {@link BATCH_NORM_TRAINING_GRAD_KERNEL} (dx, dscale and
 * doffset in one more).
 *
 * Why: tfjs-layers trains BatchNormalization as tf.moments plus FusedBatchNorm, and autodiff runs
 * back through every elementary op of both: dozens of full-size passes per layer and step. These
 * read the activation twice forward and twice backward. They are collabopt's own ops, so there is
 * no fallback: inputs they cannot take throw a BackendError naming the kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_TRAINING_GRAD_KERNEL, BATCH_NORM_TRAINING_KERNEL } from '../collaboptKernelNames';
import type { NativeKernelFactory } from '../nativeKernelProvider';
import type { NativeAddon } from './NativeAddon';
import { nativeKernelConfig, sameShape } from './nativeKernel';

/** True when `t` holds exactly `channels` values (a per-channel statistic or parameter). */
const perChannel = (t: tf.TensorInfo | undefined, channels: number): t is tf.TensorInfo =>
  t != null && t.shape.length === 1 && t.shape[0] === channels;

/** The two native BatchNormalization training factories, by kernel name. */
export function nativeBatchNormTrainingKernels(addon: NativeAddon): Map<string, NativeKernelFactory> {
  const forward: NativeKernelFactory = (options) =>
    nativeKernelConfig(BATCH_NORM_TRAINING_KERNEL, options, (inputs, attrs) => {
      const { x, scale, offset } = inputs;
      if (x == null || x.shape.length < 1) return undefined;
      const channels = x.shape[x.shape.length - 1]!;
      if (!perChannel(scale, channels) || !perChannel(offset, channels)) return undefined;
      const { varianceEpsilon } = attrs as unknown as tf.FusedBatchNormAttrs;
      const rows = tf.util.sizeFromShape(x.shape) / channels;
      return {
        inputs: [x, scale, offset],
        outShape: x.shape.slice(),
        extraOutShapes: [[channels], [channels]],
        run: (heap, [xo, so, oo], y, [mean, variance]) =>
          addon.batchNormTraining(heap, xo!, so!, oo!, y, mean!, variance!, rows, channels, varianceEpsilon),
      };
    });
  const gradient: NativeKernelFactory = (options) =>
    nativeKernelConfig(BATCH_NORM_TRAINING_GRAD_KERNEL, options, (inputs, attrs) => {
      const { dy, x, mean, variance, scale, dmean, dvariance } = inputs;
      if (dy == null || x == null || x.shape.length < 1 || !sameShape(dy.shape, x.shape)) return undefined;
      const channels = x.shape[x.shape.length - 1]!;
      const stats = [mean, variance, scale, dmean, dvariance];
      if (!stats.every((t) => perChannel(t, channels))) return undefined;
      const { varianceEpsilon } = attrs as unknown as tf.FusedBatchNormAttrs;
      const rows = tf.util.sizeFromShape(x.shape) / channels;
      return {
        inputs: [dy, x, ...(stats as tf.TensorInfo[])],
        outShape: x.shape.slice(),
        extraOutShapes: [[channels], [channels]],
        run: (heap, [dyo, xo, mo, vo, so, dmo, dvo], dx, [dscale, doffset]) =>
          addon.batchNormTrainingGrad(heap, dyo!, xo!, mo!, vo!, so!, dmo!, dvo!, dx, dscale!, doffset!, rows, channels, varianceEpsilon),
      };
    });
  return new Map([
    [BATCH_NORM_TRAINING_KERNEL, forward],
    [BATCH_NORM_TRAINING_GRAD_KERNEL, gradient],
  ]);
}
