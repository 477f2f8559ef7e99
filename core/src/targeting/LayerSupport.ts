import type * as tf from '@tensorflow/tfjs';

/**
 * What a plugin can do with one layer: the weights it targets by default, and those it targets only
 * when the layer (or the weight) is selected explicitly — e.g. pruning DepthwiseConv2D kernels, or
 * biases. Return `null` for a layer the plugin does not support.
 */
export interface WeightSupport {
  /** Weight names (relative to the layer, e.g. `kernel`) targeted by default. */
  readonly default: readonly string[];
  /** Weight names targeted only on explicit request (exact layer name, weight id or class name). */
  readonly explicit?: readonly string[];
}

/** A plugin's support table: layer → weights. */
export type LayerSupport = (layer: tf.layers.Layer) => WeightSupport | null;
