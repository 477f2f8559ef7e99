import type { OptimizationState } from '@collabopt/core';
import { quantizeKernel } from './quantizeKernel';
import { GraphTensor, type TfliteGraph } from '../TfliteGraph';

/**
 * `dynamic-range` mode: the kernels of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED are stored
 * as int8 (per output channel for the convolutions, per tensor for FULLY_CONNECTED), with the same
 * scales as the int8 mode (the state's `int8-grid` when it has one); biases and activations stay
 * float32. TFLite runs these operators with its hybrid kernels (versions 5, 6 and 3), which
 * quantize the activations on the fly.
 *
 * Porting note: the TF converter leaves kernels with fewer than 1,024 elements in float; here
 * every kernel is quantized, so small models show the same storage as large ones.
 */
export function toDynamicRangeGraph(graph: TfliteGraph, state?: OptimizationState): void {
  const done = new Map<GraphTensor, GraphTensor>();
  for (const op of graph.ops) {
    // TRANSPOSE_CONV stays float: TFLite 2.9 registers no hybrid (float data, int8 kernel) version of it.
    if (op.code !== 'CONV_2D' && op.code !== 'DEPTHWISE_CONV_2D' && op.code !== 'FULLY_CONNECTED') continue;
    const kernel = op.inputs[1];
    // A kernel the exporter made (hardSigmoid's taps) has no weight behind it: it stays float.
    if (!kernel.source) continue;
    let q = done.get(kernel);
    if (!q) {
      const k = quantizeKernel(kernel, op.code === 'FULLY_CONNECTED' ? 'perTensor' : 'perChannel', state);
      q = new GraphTensor(kernel.name, kernel.shape, 'int8', k.q);
      q.source = kernel.source;
      if (k.fromGrid) kernel.source!.onGrid = true;
      q.quant = { scales: k.scales, zeroPoints: new Int32Array(k.scales.length), axis: k.axis };
      if (k.note) graph.notes.quantization.push(`${kernel.source!.weightId}: ${k.note}`);
      done.set(kernel, q);
    }
    op.inputs[1] = q;
  }
}
