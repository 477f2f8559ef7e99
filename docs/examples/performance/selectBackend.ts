/**
 * Picking the training backend: docs/guides/performance.md.
 *
 *   node --conditions=source -r ts-node/register docs/examples/performance/selectBackend.ts
 *   COLLABOPT_BACKEND=cpu node --conditions=source -r ts-node/register docs/examples/performance/selectBackend.ts
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@collabopt/core';

export async function main({ log = console.info }: { log?: (line: string) => void } = {}) {
  // #region select
  const selection = await selectBackend({ log });
  // collabopt: training backend wasm + native kernels (2 threads, avx2) (SIMD on, threads off),
  //   auto; optimizer updates fused (rmsprop, adam, momentum; COLLABOPT_FUSED_OPTIMIZERS=0 keeps
  //   tfjs's); training kernels: Conv2DBackpropFilter (added, native), …, BatchMatMul (replaced,
  //   native), Conv2D (replaced, native), …, Identity (replaced, native), …,
  //   CollaboptRmsPropUpdate (added, native), …; gradients: FusedBatchNorm (replaced),
  //   Conv2D (replaced), DepthwiseConv2dNative (replaced), Relu (replaced), Relu6 (replaced),
  //   ClipByValue (replaced) — tensorflow skipped:
  //   @tensorflow/tfjs-node is not installed
  // Without the addon: "wasm + training kernels (SIMD on, threads off), auto; native kernels
  //   unavailable: <reason>; training kernels: Conv2DBackpropFilter (added), …".
  for (const attempt of selection.attempts) log(`${attempt.backend}: ${attempt.ok ? 'picked' : 'skipped'} (${attempt.detail})`);
  // #endregion select
  log(`active backend: ${tf.getBackend()}`);
  return selection;
}

// #region release
// Tests and libraries that share a process: give the kernels back (the backend stays active).
export async function withTrainingBackend<T>(work: () => Promise<T>): Promise<T> {
  const selection = await selectBackend({ backend: 'wasm', log: false });
  try {
    return await work();
  } finally {
    selection.releaseTrainingKernels();
  }
}
// #endregion release

if (require.main === module) main();
