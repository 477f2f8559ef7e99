import type * as tf from '@tensorflow/tfjs';
import { modelWeights, type OptimizationState } from '@collabopt/core';
import { weightStats } from '@collabopt/plugins';
import type { KernelStats } from './StageRecord';

/** Weights the report lists: kernels of dense, convolution and recurrent layers, embeddings. */
const KERNEL_NAME = /(^|\/)(kernel|depthwise_kernel|pointwise_kernel|recurrent_kernel|embeddings)$/;

/**
 * Sparsity and distinct values of every kernel of `model`, with the invariants `state` holds for
 * it. Channels are the last dimension (channels-last kernels), or `in × multiplier` for depthwise
 * kernels, so `distinctPerChannel` is what per-channel clustering and quantization bound.
 */
export function kernelStats(model: tf.LayersModel, state?: OptimizationState): KernelStats[] {
  const out: KernelStats[] = [];
  for (const w of modelWeights(model).values()) {
    if (!KERNEL_NAME.test(w.weightName) || w.shape.length < 2) continue;
    const values = w.value().dataSync();
    const channels = /depthwise_kernel$/.test(w.weightName) ? w.shape[2] * w.shape[3] : w.shape[w.shape.length - 1];
    const stats = weightStats(values, channels);
    out.push({
      id: w.id,
      layer: w.layer.name,
      className: w.className,
      shape: [...w.shape],
      size: stats.size,
      sparsity: stats.sparsity,
      distinct: stats.distinct,
      distinctPerChannel: stats.distinctPerChannel ?? stats.distinct,
      invariants: state ? state.recordsOf(w.id).map((r) => r.invariant.name) : [],
    });
  }
  return out;
}
