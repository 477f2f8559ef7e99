import type * as tf from '@tensorflow/tfjs';

/**
 * Whether a layer is a whole model used as a layer (a pretrained base added to a Sequential, or a
 * model applied to a tensor in a functional model). tfjs-layers gives such layers no class of
 * their own to test against across package copies, so the test is structural: a model has
 * `layers` and `predict`.
 * @group Weights
 */
export function isNestedModel(layer: tf.layers.Layer): layer is tf.layers.Layer & tf.LayersModel {
  const candidate = layer as unknown as { layers?: unknown; predict?: unknown };
  return Array.isArray(candidate.layers) && typeof candidate.predict === 'function';
}
