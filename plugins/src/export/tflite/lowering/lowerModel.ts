import type * as tf from '@tensorflow/tfjs';
import type { TfliteMode } from '../TfliteExportOptions';
import { GraphTensor, type TfliteGraph } from '../TfliteGraph';
import { checkTfliteSupport } from './checkTfliteSupport';
import type { LayerConfig } from './layerConfig';
import { layerLowerings } from './layerLowerings';
import { LoweringContext } from './LoweringContext';
import { modelGraph } from '@collabopt/core';

/**
 * Checks every layer of the model (`checkTfliteSupport`), then lowers it to a float32 TFLite
 * operator graph, call by call in execution order, each through its class's entry in the lowering
 * registry: kernels transposed to TFLite's layouts, BatchNormalization as a `BATCH_NORM`
 * placeholder for the folding pass, activations as separate operators for the fusion pass.
 *
 * @param batchSize the batch dimension the file's shapes are fixed to.
 * @param mode the file's mode, for the support check (int8 refuses more classes).
 */
export function lowerModel(model: tf.LayersModel, batchSize: number, mode?: TfliteMode): TfliteGraph {
  checkTfliteSupport(model, mode);
  const mg = modelGraph(model);
  const ctx = new LoweringContext(model, batchSize);
  const tensors = new Map<string, GraphTensor>();
  for (const input of mg.inputs) {
    const t = new GraphTensor(input.layer.name, ctx.shapeOf(input.symbolic), 'float32');
    t.rule = { kind: 'range', key: input.layer.name, what: `model input '${input.layer.name}'` };
    tensors.set(input.key, t);
    ctx.graph.inputs.push(t);
  }
  for (const node of mg.nodes) {
    const ins = node.inputs.map((k) => {
      const t = tensors.get(k);
      if (!t) throw new Error(`lowerModel: internal error: tensor ${k} used by '${node.layer.name}' before it was made`);
      return t;
    });
    // checkTfliteSupport refused every class without an entry.
    const lowering = layerLowerings.get(node.layer.getClassName())!;
    const outs = lowering.lower(ctx, node, ins, node.layer.getConfig() as LayerConfig);
    node.outputs.forEach((k, i) => tensors.set(k, outs[i]));
  }
  for (const k of mg.outputs) ctx.graph.outputs.push(tensors.get(k)!);
  return ctx.graph;
}
