/**
 * Where collabopt's native training kernels (a Node addon) plug into kernel registration.
 *
 * Why this exists: {@link registerTrainingKernels} and {@link selectBackend} are browser-safe, but
 * the native kernels are a compiled Node addon. The Node entry loads the addon and installs a
 * provider here; registration asks the provider for kernels and prefers them over the composed
 * wasm kernels. In a browser no provider is ever installed, and nothing Node-only is imported.
 */
import type * as tf from '@tensorflow/tfjs';
import type { TrainingKernelConfig } from './TrainingKernelConfig';

/** Options a native kernel factory takes. */
export interface NativeKernelOptions {
  /** Backend the kernel is registered for (always `'wasm'`: the kernels compute in its heap). */
  readonly backendName: string;
  /** The backend's own kernel, restored on unregister (undefined where the backend has none). */
  readonly stock?: tf.KernelConfig;
  /**
   * The kernel that runs the inputs the native one does not take (another dtype or data format,
   * a fused activation it lacks): collabopt's composed wasm kernel where there is one, else
   * the stock kernel.
   */
  readonly fallback?: tf.KernelConfig;
}

/** Makes one native kernel's config. */
export type NativeKernelFactory = (options: NativeKernelOptions) => TrainingKernelConfig;

/**
 * Makes a gradient that runs native kernels, from tfjs-core's (`stock`, which it runs wherever
 * its kernels are not registered).
 */
export type NativeGradientFactory = (stock: tf.GradConfig | undefined) => tf.GradConfig;

/**
 * What the Node entry found: the native kernels by tfjs kernel name, or why there are none.
 * @group Backends
 */
export type NativeKernelProvider =
  | {
      /** The addon loaded. */
      readonly available: true;
      /** For reports, e.g. `'2 threads, avx2'`. */
      readonly description: string;
      /** Factories by tfjs kernel name (wasm backend). */
      readonly kernels: ReadonlyMap<string, NativeKernelFactory>;
      /** Gradients (by the kernel name they differentiate) registered along with the kernels. */
      readonly gradients?: ReadonlyMap<string, NativeGradientFactory>;
    }
  | {
      /** The addon could not be built or loaded. */
      readonly available: false;
      /** Why, e.g. the build error recorded at install. */
      readonly reason: string;
    };

let provider: NativeKernelProvider | undefined;

/**
 * Installs (or with `undefined` removes) the native kernel provider, returning the previous one.
 * The Node entry calls it on import; tests use it to simulate a missing addon.
 */
export function setNativeKernelProvider(next: NativeKernelProvider | undefined): NativeKernelProvider | undefined {
  const previous = provider;
  provider = next;
  return previous;
}

/** The installed provider; undefined where none was installed (browsers). */
export function getNativeKernelProvider(): NativeKernelProvider | undefined {
  return provider;
}
