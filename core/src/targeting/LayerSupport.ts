import type * as tf from '@tensorflow/tfjs';

/**
 * What a plugin can do with one layer: the weights it targets by default, those it targets when
 * the layer is named (e.g. DepthwiseConv2D kernels for pruning), and those it targets only when the
 * weight itself is named (biases: `"dense_1/bias"`). Return `null` for an unsupported layer.
 * @group Targeting
 */
export interface WeightSupport {
  /** Weight names (relative to the layer, e.g. `kernel`) targeted by default. */
  readonly default: readonly string[];
  /** Also targeted when the layer is selected by exact name or class name. */
  readonly explicit?: readonly string[];
  /** Targeted only when the weight is selected by its id (`layer/weight`). */
  readonly byId?: readonly string[];
}

/**
 * A plugin's support table: layer → weights.
 * @group Targeting
 */
export type LayerSupport = (layer: tf.layers.Layer) => WeightSupport | null;
