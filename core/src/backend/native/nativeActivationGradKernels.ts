/**
 * Native activation gradients for the wasm backend (core/native/src/activationGrad.cc): the
 * kernels {@link RELU_GRAD_KERNEL}, {@link RELU6_GRAD_KERNEL} and {@link CLIP_BY_VALUE_GRAD_KERNEL}.
 *
 * Why: tfjs-core composes Relu's gradient from 3 kernels, Relu6's from 4 and ClipByValue's (the
 * ReLU layer's `maxValue`, MobileNet's ReLU6) from 5 — each a full pass over the activation and a
 * dispatch (~50 ms of a MobileNet step for ClipByValue's alone). Each of these is one pass, bit for
 * bit the composite's result. They are collabopt's own ops, run only by
 * {@link nativeActivationGradients}, so there is no fallback: inputs they cannot take throw a
 * BackendError naming the kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { CLIP_BY_VALUE_GRAD_KERNEL, RELU6_GRAD_KERNEL, RELU_GRAD_KERNEL } from '../collaboptKernelNames';
import type { NativeKernelFactory } from '../nativeKernelProvider';
import type { NativeAddon } from './NativeAddon';
import { nativeKernelConfig, sameShape } from './nativeKernel';

/** The native activation-gradient factories, by kernel name. */
export function nativeActivationGradKernels(addon: NativeAddon): Map<string, NativeKernelFactory> {
  const elementwise = (kernelName: string, run: (heap: ArrayBuffer, dy: number, x: number, dx: number, n: number, attrs: tf.NamedAttrMap) => void): NativeKernelFactory =>
    (options) => nativeKernelConfig(kernelName, options, (inputs, attrs) => {
      const { dy, x } = inputs;
      if (dy == null || x == null || !sameShape(dy.shape, x.shape)) return undefined;
      return {
        inputs: [dy, x],
        outShape: x.shape.slice(),
        run: (heap, [dyo, xo], out) => run(heap, dyo!, xo!, out, tf.util.sizeFromShape(x.shape), attrs),
      };
    });
  return new Map([
    [RELU_GRAD_KERNEL, elementwise(RELU_GRAD_KERNEL, (heap, dy, x, dx, n) => addon.reluGrad(heap, dy, x, dx, n))],
    [RELU6_GRAD_KERNEL, elementwise(RELU6_GRAD_KERNEL, (heap, dy, x, dx, n) => addon.relu6Grad(heap, dy, x, dx, n))],
    [CLIP_BY_VALUE_GRAD_KERNEL, elementwise(CLIP_BY_VALUE_GRAD_KERNEL, (heap, dy, x, dx, n, attrs) => {
      const { clipValueMin, clipValueMax } = attrs as unknown as tf.ClipByValueAttrs;
      addon.clipByValueGrad(heap, dy, x, dx, n, clipValueMin, clipValueMax);
    })],
  ]);
}
