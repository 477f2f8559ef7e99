import { absorbOperator, findFusionSite } from './fusionSite';
import type { TfliteGraph } from '../TfliteGraph';

/**
 * Fuses RELU and RELU6 operators into the CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, ADD or
 * MUL that produced their input (the kernels' `fused_activation_function`), when nothing else
 * reads the pre-activation tensor. This is what the TF converter does, and what TFMOT's QAT
 * layout assumes (one fake-quant after the activation, none between: "Relu folding").
 *
 * In int8 the fused operator's output takes the activation layer's range, so only the ReLU
 * layer's range is needed, not its producer's. Run after {@link foldBatchNorm}, so that
 * conv → BatchNorm → ReLU becomes one operator.
 */
export function fuseActivations(graph: TfliteGraph): void {
  for (const op of graph.ops.filter((o) => o.code === 'RELU' || o.code === 'RELU6')) {
    const site = findFusionSite(graph, op.inputs[0], ['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'ADD', 'MUL']);
    if (!site) continue;
    site.producer.options = { ...site.producer.options, activation: op.code === 'RELU' ? 'RELU' : 'RELU6' };
    absorbOperator(graph, site, op);
    graph.notes.fused.push(`${op.layer} → ${site.producer.layer}`);
  }
}
