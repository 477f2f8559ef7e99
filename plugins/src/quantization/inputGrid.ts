import type * as tf from '@tensorflow/tfjs';
import type { FixedActivationGrid } from '../common/fixedRangeActivations';
import type { LayerPlan } from './quantizationPlan';

/**
 * The int8 grid a layer's input is on in the int8 file: the range recorded under `key`, or an
 * activation's fixed grid.
 * @group Quantization numerics
 */
export type InputGrid = { readonly kind: 'range'; readonly key: string } | { readonly kind: 'fixed'; readonly grid: FixedActivationGrid };

/**
 * Which grid `layer`'s (single) input is on, following the plan's placements back from the layer
 * that produces it: a model input's own range, a producer's output range, the fixed grid of a
 * softmax/sigmoid/tanh producer, through layers that keep their input's quantization
 * (`passThrough`). Null when it cannot be told (an excluded or deferred producer, several inputs,
 * a shared layer): the caller then leaves what depends on it alone.
 * @param plans the plan of every quantized layer, by layer.
 * @group Quantization numerics
 */
export function inputGridOf(layer: tf.layers.Layer, plans: ReadonlyMap<tf.layers.Layer, LayerPlan>): InputGrid | null {
  let producer = soleInbound(layer);
  while (producer) {
    if (producer.getClassName() === 'InputLayer') return { kind: 'range', key: producer.name };
    const plan = plans.get(producer);
    if (!plan) return null;
    if (plan.outputGrid) return { kind: 'fixed', grid: plan.outputGrid };
    if (plan.placement === 'output') return { kind: 'range', key: producer.name };
    if (plan.placement !== 'passThrough') return null;
    producer = soleInbound(producer);
  }
  return null;
}

function soleInbound(layer: tf.layers.Layer): tf.layers.Layer | undefined {
  const nodes = (layer as unknown as { inboundNodes?: { inboundLayers: tf.layers.Layer[] }[] }).inboundNodes ?? [];
  // A shared layer's calls may read different producers: no single grid.
  return nodes.length === 1 && nodes[0].inboundLayers.length === 1 ? nodes[0].inboundLayers[0] : undefined;
}
