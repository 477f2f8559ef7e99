/**
 * The shape of a collabopt training kernel as it sits in the tfjs kernel registry.
 *
 * Why this exists: registration must recognise its own kernels (to stay idempotent and to restore
 * exactly what it replaced), and kernels that replace a stock kernel keep that kernel at hand for
 * the inputs where it is faster. Both facts travel with the registered config object.
 */
import type * as tf from '@tensorflow/tfjs';

/** Options every training-kernel factory takes. */
export interface TrainingKernelOptions {
  /** Backend the kernel is registered for (`'wasm'` or `'cpu'`). */
  readonly backendName: string;
  /**
   * The backend's own kernel of the same name, if it has one. The factory delegates to it for the
   * inputs where it measured faster; without it, every call takes the composed path.
   */
  readonly stock?: tf.KernelConfig;
}

/** A kernel config made by one of collabopt's training-kernel factories. */
export interface TrainingKernelConfig extends tf.KernelConfig {
  /** Marks the config as collabopt's, so registration can recognise it. */
  readonly collaboptTrainingKernel: true;
  /** The stock kernel it delegates to where that one is faster (and restores on unregister). */
  readonly stock?: tf.KernelConfig;
}

/**
 * Assembles a training kernel's config. It carries the stock kernel's setup and dispose functions:
 * the engine runs setup only for kernels registered when a backend initialises, and the stock
 * kernel function (which the training kernel may delegate to) needs it — wasm kernels bind their
 * C++ entry points there.
 */
export function trainingKernelConfig(
  kernelName: string,
  options: TrainingKernelOptions,
  kernelFunc: tf.KernelFunc,
): TrainingKernelConfig {
  const { backendName, stock } = options;
  return {
    kernelName,
    backendName,
    kernelFunc,
    ...(stock?.setupFunc != null ? { setupFunc: stock.setupFunc } : {}),
    ...(stock?.disposeFunc != null ? { disposeFunc: stock.disposeFunc } : {}),
    collaboptTrainingKernel: true,
    ...(stock != null ? { stock } : {}),
  };
}

/** True when `config` was made by one of collabopt's training-kernel factories. */
export function isTrainingKernelConfig(config: tf.KernelConfig | undefined): config is TrainingKernelConfig {
  return config != null && (config as Partial<TrainingKernelConfig>).collaboptTrainingKernel === true;
}
