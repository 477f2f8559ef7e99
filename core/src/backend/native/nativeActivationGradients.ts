/**
 * Gradients of `Relu`, `Relu6` and `ClipByValue` that run one native kernel
 * ({@link nativeActivationGradKernels}) instead of tfjs-core's 3–5 elementwise ops.
 *
 * Why here and how: gradients are global in tfjs (not per backend), but the native kernels exist
 * only on wasm while native kernels are registered. Each gradient therefore checks, per call, that
 * its kernel is registered for the active backend and the tensors are float32, and otherwise runs
 * tfjs-core's gradient (`stock`) unchanged. Registration puts these in place only together with
 * the native kernels and restores the stock gradients when it is released.
 */
import * as tf from '@tensorflow/tfjs';
import { CLIP_BY_VALUE_GRAD_KERNEL, RELU6_GRAD_KERNEL, RELU_GRAD_KERNEL } from '../collaboptKernelNames';
import type { NativeGradientFactory } from '../nativeKernelProvider';

function gradientVia(kernelName: string, nativeKernel: string): NativeGradientFactory {
  return (stock) => ({
    kernelName,
    inputsToSave: stock?.inputsToSave ?? ['x'],
    gradFunc: (dy, saved, attrs) => {
      const g = Array.isArray(dy) ? dy[0]! : dy;
      const [x] = saved as [tf.Tensor];
      const usable = tf.getKernel(nativeKernel, tf.getBackend()) != null && g.dtype === 'float32' && x.dtype === 'float32';
      if (!usable && stock != null) return stock.gradFunc(dy, saved, attrs);
      return { x: () => tf.engine().runKernel(nativeKernel, { dy: g, x }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor };
    },
  });
}

/** The gradient factories, by the kernel name they are the gradient of. */
export function nativeActivationGradients(): Map<string, NativeGradientFactory> {
  return new Map([
    [tf.Relu, gradientVia(tf.Relu, RELU_GRAD_KERNEL)],
    [tf.Relu6, gradientVia(tf.Relu6, RELU6_GRAD_KERNEL)],
    [tf.ClipByValue, gradientVia(tf.ClipByValue, CLIP_BY_VALUE_GRAD_KERNEL)],
  ]);
}
