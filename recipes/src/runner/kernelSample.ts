import type * as tf from '@tensorflow/tfjs';
import { modelWeights } from '@collabopt/core';
import type { KernelSample } from './StageRecord';

/** At most this many values are kept per stage (the report's density plots need no more). */
export const KERNEL_SAMPLE_LIMIT = 8192;

/**
 * The kernel the report follows through a pipeline (the seed's density-plot figure): the largest
 * Conv2D kernel (a convolution shows pruning and clustering best), else the largest kernel. Every
 * stage of a recipe picks the same one, because the choice depends only on the architecture.
 */
export function sampleKernelId(model: tf.LayersModel): string | null {
  let best: { id: string; size: number; conv: boolean } | null = null;
  for (const w of modelWeights(model).values()) {
    if (!/(^|\/)kernel$/.test(w.weightName) || w.shape.length < 2) continue;
    const conv = w.className === 'Conv2D';
    const better = !best || (conv && !best.conv) || (conv === best.conv && w.size > best.size);
    if (better) best = { id: w.id, size: w.size, conv };
  }
  return best?.id ?? null;
}

/** The values of {@link sampleKernelId}'s kernel (every k-th for kernels over {@link KERNEL_SAMPLE_LIMIT}). */
export function kernelSample(model: tf.LayersModel): KernelSample | null {
  const id = sampleKernelId(model);
  if (id === null) return null;
  const values = modelWeights(model).get(id)!.value().dataSync();
  const stride = Math.max(1, Math.ceil(values.length / KERNEL_SAMPLE_LIMIT));
  const kept: number[] = [];
  for (let i = 0; i < values.length; i += stride) kept.push(values[i]);
  return { weight: id, values: kept, stride };
}
