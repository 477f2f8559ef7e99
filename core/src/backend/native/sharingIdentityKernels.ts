/**
 * `Identity` and same-dtype `Cast` on the wasm backend that share the input's buffer instead of
 * copying it, as tfjs-backend-cpu's do.
 *
 * Why: tfjs-core's engine clones (`Identity`) every tensor a kernel saves for its gradient, so a
 * training step copies most activations once more: ~90 full-size copies of [64,14,14,64] in a
 * DS-CNN step (62 ms of 454), ~900 Identity calls in a MobileNet step. `moments` and Relu's
 * gradient add same-dtype casts. tfjs-backend-wasm's `Identity` and `Cast` allocate and copy;
 * sharing is one reference count.
 *
 * Why it is safe: the wasm backend reference-counts its buffers (`incRef`, `disposeData` frees at
 * zero) and its own `Reshape` already returns the input's dataId this way, so every consumer of the
 * backend copes with shared buffers. No tfjs-backend-wasm kernel writes into an input (each
 * allocates its output with `makeOutput`), neither do collabopt's native kernels, and
 * `Variable.assign` takes the new value's dataId by reference rather than writing into the old
 * buffer. The tests check disposal, assignment from identities and no growth over many steps.
 *
 * Registered through the native kernel provider (only where the addon loaded and native kernels
 * are in use), so the stock copies stay on every other path. Strings and casts to another dtype
 * go to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeKernelFactory, NativeKernelOptions } from '../nativeKernelProvider';
import { trainingKernelConfig, type TrainingKernelConfig } from '../TrainingKernelConfig';
import { BackendError } from '../BackendError';

/** The backend's reference count (tfjs-backend-wasm and -cpu both have it). */
interface RefCounting { incRef(dataId: tf.DataId): void }

function sharing(kernelName: string, options: NativeKernelOptions, shares: (x: tf.TensorInfo, attrs: tf.NamedAttrMap) => boolean): TrainingKernelConfig {
  const { fallback } = options;
  return trainingKernelConfig(kernelName, { backendName: options.backendName, ...(options.stock != null ? { stock: options.stock } : {}) }, (args) => {
    const x = args.inputs.x;
    if (x != null && x.dtype !== 'string' && shares(x, args.attrs ?? {})) {
      (args.backend as unknown as RefCounting).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
    }
    if (fallback == null) throw new BackendError(`${kernelName}: collabopt's sharing kernel cannot take these inputs and the backend has no kernel of its own.`);
    return fallback.kernelFunc(args);
  });
}

/** The sharing `Identity` and `Cast` factories, by kernel name. */
export function sharingIdentityKernels(): Map<string, NativeKernelFactory> {
  return new Map<string, NativeKernelFactory>([
    [tf.Identity, (options) => sharing(tf.Identity, options, () => true)],
    [tf.Cast, (options) => sharing(tf.Cast, options, (x, attrs) => (attrs as unknown as tf.CastAttrs).dtype === x.dtype)],
  ]);
}
