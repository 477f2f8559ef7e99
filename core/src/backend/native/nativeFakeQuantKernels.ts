/**
 * Native activation fake-quant for the wasm backend (core/native/src/fakeQuant.cc): the kernels
 * {@link FAKE_QUANT_AFFINE_KERNEL} and {@link FAKE_QUANT_AFFINE_GRAD_KERNEL}.
 *
 * Why: the quantize plugin's composite of fast wasm kernels still made ~20 passes over every
 * quantized activation per step (forward and gradient), ~90 ms of a 134 ms mnist step; each of
 * these is one pass. They are collabopt's own ops, so there is no fallback: inputs they cannot
 * take (a non-scalar range, a shape mismatch) throw a BackendError naming the kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { FAKE_QUANT_AFFINE_GRAD_KERNEL, FAKE_QUANT_AFFINE_KERNEL } from '../collaboptKernelNames';
import type { NativeKernelFactory } from '../nativeKernelProvider';
import type { NativeAddon } from './NativeAddon';
import { nativeKernelConfig, sameShape } from './nativeKernel';

const isScalar = (t: tf.TensorInfo | undefined): t is tf.TensorInfo => t != null && tf.util.sizeFromShape(t.shape) === 1;

/** The native fake-quant factories, by kernel name. */
export function nativeFakeQuantKernels(addon: NativeAddon): Map<string, NativeKernelFactory> {
  const forward: NativeKernelFactory = (options) =>
    nativeKernelConfig(FAKE_QUANT_AFFINE_KERNEL, options, (inputs) => {
      const { x, scale, lowLevel, highLevel } = inputs;
      if (x == null || !isScalar(scale) || !isScalar(lowLevel) || !isScalar(highLevel)) return undefined;
      return {
        inputs: [x, scale, lowLevel, highLevel],
        outShape: x.shape.slice(),
        run: (heap, [xo, so, lo, ho], out) => addon.fakeQuantAffine(heap, xo!, so!, lo!, ho!, out, tf.util.sizeFromShape(x.shape)),
      };
    });
  const gradient: NativeKernelFactory = (options) =>
    nativeKernelConfig(FAKE_QUANT_AFFINE_GRAD_KERNEL, options, (inputs) => {
      const { dy, x, bandMin, bandMax } = inputs;
      if (dy == null || x == null || !sameShape(dy.shape, x.shape) || !isScalar(bandMin) || !isScalar(bandMax)) return undefined;
      return {
        inputs: [dy, x, bandMin, bandMax],
        outShape: x.shape.slice(),
        run: (heap, [dyo, xo, lo, ho], out) => addon.fakeQuantAffineGrad(heap, dyo!, xo!, lo!, ho!, out, tf.util.sizeFromShape(x.shape)),
      };
    });
  return new Map([
    [FAKE_QUANT_AFFINE_KERNEL, forward],
    [FAKE_QUANT_AFFINE_GRAD_KERNEL, gradient],
  ]);
}
