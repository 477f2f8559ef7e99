/**
 * Training backends: collabopt's training kernels for the wasm and cpu backends, and
 * {@link selectBackend}. Browser-safe: the Node-only loaders live in `./node`.
 */
export { selectBackend, BACKEND_ENV_VAR, NATIVE_ENV_VAR } from './selectBackend';
export type { SelectBackendOptions, BackendSelection, BackendAttempt, BackendChoice } from './selectBackend';
export { registerTrainingKernels } from './registerTrainingKernels';
export type {
  RegisterTrainingKernelsOptions,
  RegisteredTrainingKernel,
  TrainingKernelRegistration,
  TrainingKernelBackend,
} from './registerTrainingKernels';
export { setBackendLoader, getBackendLoader } from './backendLoaders';
export type { BackendLoader, BackendLoadResult, BackendLoaderContext, TrainingBackendName } from './backendLoaders';
export { BackendError } from './BackendError';
export { CLUSTER_PROJECT_KERNEL, FAKE_QUANT_AFFINE_KERNEL, FAKE_QUANT_AFFINE_GRAD_KERNEL, FAKE_QUANT_NUDGE_KERNEL, FAKE_QUANT_SYMMETRIC_KERNEL, RANGE_OBSERVE_KERNEL } from './collaboptKernelNames';
export type { NativeKernelProvider } from './nativeKernelProvider';
