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
import { nativeBatchNormKernel } from './nativeBatchNormKernel';
import { nativeClusterKernel } from './nativeClusterKernel';
import { nativeConvKernels } from './nativeConvKernels';
import { nativeDepthwiseKernels } from './nativeDepthwiseKernels';
import { nativeFakeQuantKernels } from './nativeFakeQuantKernels';
import { nativeMatMulKernel } from './nativeMatMulKernel';
import { nativePoolKernels } from './nativePoolKernels';
import { nativeReduceKernels } from './nativeReduceKernels';
import * as tf from '@tensorflow/tfjs';

/**
 * Loads the addon (from `file`, default the install build) and installs its kernels as the native
 * kernel provider, or records why it cannot. Returns what was installed. Runs when the Node entry
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
      ...nativePoolKernels(addon),
      ...nativeFakeQuantKernels(addon),
      [CLUSTER_PROJECT_KERNEL, nativeClusterKernel(addon)],
    ]);
    provider = { available: true, description: `${info.threads} thread${info.threads === 1 ? '' : 's'}, ${info.isa}`, kernels };
  }
  setNativeKernelProvider(provider);
  return provider;
}
