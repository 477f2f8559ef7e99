/**
 * Loads collabopt's native addon and offers its kernels to registration (Node only).
 *
 * Why this exists: the browser-safe registration code must not load a Node addon itself; the Node
 * entry calls this, which installs a provider {@link registerTrainingKernels} and
 * {@link selectBackend} consult. Without a usable binary the provider records why, so the report
 * can say it.
 */
import { CLUSTER_PROJECT_KERNEL } from '../collaboptKernelNames';
import type { NativeKernelFactory, NativeKernelProvider } from '../nativeKernelProvider';
import { setNativeKernelProvider } from '../nativeKernelProvider';
import { loadNativeAddon } from './loadNativeAddon';
import { FUSED_OPTIMIZERS_ENV_VAR, installFusedOptimizerUpdates } from './fusedOptimizerUpdates';
import { nativeActivationGradients } from './nativeActivationGradients';
import { nativeActivationGradKernels } from './nativeActivationGradKernels';
import { nativeBatchNormKernel } from './nativeBatchNormKernel';
import { setNativeBatchNormalizationTraining } from './nativeBatchNormalizationTraining';
import { nativeBatchNormTrainingKernels } from './nativeBatchNormTrainingKernels';
import { nativeClusterKernel } from './nativeClusterKernel';
import { nativeConvKernels } from './nativeConvKernels';
import { nativeDepthwiseKernels } from './nativeDepthwiseKernels';
import { nativeFakeQuantKernels } from './nativeFakeQuantKernels';
import { nativeMatMulKernel } from './nativeMatMulKernel';
import { nativeOptimizerKernels } from './nativeOptimizerKernels';
import { nativePoolKernels } from './nativePoolKernels';
import { nativeReduceKernels } from './nativeReduceKernels';
import { sharingIdentityKernels } from './sharingIdentityKernels';
import * as tf from '@tensorflow/tfjs';

/**
 * Loads the addon (from `file`, default the install build) and installs its kernels as the native
 * kernel provider, or records why it cannot; with the kernels, the interception of
 * BatchNormalization's training step that uses them. Returns what was installed. Runs when the Node entry
 * is imported; call it again (e.g. with another `file`) to replace the provider.
 * @group Backends
 */
export function installNativeKernels(file?: string): NativeKernelProvider {
  const load = loadNativeAddon(file);
  let provider: NativeKernelProvider;
  if (!load.available) {
    provider = { available: false, reason: load.reason };
  } else {
    const { addon } = load;
    const info = addon.info();
    const kernels = new Map<string, NativeKernelFactory>([
      ...nativeConvKernels(addon),
      ...nativeDepthwiseKernels(addon),
      [tf.BatchMatMul, nativeMatMulKernel(addon)],
      ...nativeReduceKernels(addon),
      [tf.FusedBatchNorm, nativeBatchNormKernel(addon)],
      ...nativeBatchNormTrainingKernels(addon),
      ...nativePoolKernels(addon),
      ...nativeFakeQuantKernels(addon),
      ...sharingIdentityKernels(),
      ...nativeActivationGradKernels(addon),
      [CLUSTER_PROJECT_KERNEL, nativeClusterKernel(addon)],
    ]);
    // The optimizer patch is inert wherever its kernels are not registered, so installing it
    // with the addon is safe; the variable is the opt-out (see fusedOptimizerUpdates.ts).
    if (process.env[FUSED_OPTIMIZERS_ENV_VAR]?.trim() !== '0') {
      for (const [name, factory] of nativeOptimizerKernels(addon)) kernels.set(name, factory);
      installFusedOptimizerUpdates();
    }
    provider = {
      available: true,
      description: `${info.threads} thread${info.threads === 1 ? '' : 's'}, ${info.isa}`,
      kernels,
      gradients: nativeActivationGradients(),
    };
  }
  setNativeKernelProvider(provider);
  // BatchNormalization layers train on the fused kernels wherever registration put them in place.
  // Never removed here: the interception checks per call that the kernels are registered for the
  // active backend, so without them (an unavailable provider registers none) every call is stock.
  if (provider.available) setNativeBatchNormalizationTraining(true);
  return provider;
}
