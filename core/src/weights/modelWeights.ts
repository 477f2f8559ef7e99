import type * as tf from '@tensorflow/tfjs';
import { SessionError } from '../errors/SessionError';
import { isNestedModel } from './isNestedModel';
import { TargetWeight } from './TargetWeight';

/**
 * Every layer of a model in topological order, descending into nested models (a Sequential inside
 * a functional model, as TFMOT does since #40) instead of treating them as one layer.
 * @group Weights
 */
export function modelLayers(model: tf.LayersModel): tf.layers.Layer[] {
  const out: tf.layers.Layer[] = [];
  const seen = new Set<tf.layers.Layer>();
  const visit = (m: tf.LayersModel) => {
    for (const layer of m.layers) {
      if (isNestedModel(layer)) visit(layer);
      else if (!seen.has(layer)) {
        // A layer shared by two nested models is one layer with one set of weights.
        seen.add(layer);
        out.push(layer);
      }
    }
  };
  visit(model);
  return out;
}

/**
 * A {@link TargetWeight} for every weight of every (nested) layer, keyed by id.
 * @group Weights
 */
export function modelWeights(model: tf.LayersModel): Map<string, TargetWeight> {
  const weights = new Map<string, TargetWeight>();
  for (const layer of modelLayers(model)) {
    for (const v of layer.weights) {
      const w = new TargetWeight(layer, v);
      if (weights.has(w.id)) {
        // Same-named layers in two nested models: ids would collide and state would be ambiguous.
        throw new SessionError(`the model has two weights with id '${w.id}' (layers named '${layer.name}' in nested models); give the layers unique names`);
      }
      weights.set(w.id, w);
    }
  }
  return weights;
}
