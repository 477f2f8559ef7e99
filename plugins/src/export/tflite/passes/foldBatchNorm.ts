import { absorbOperator, findFusionSite } from './fusionSite';
import { GraphTensor, type GraphOp, type TfliteGraph } from '../TfliteGraph';
import { fileChannelPosition } from '../weightLayout';

/**
 * Lowers every `BATCH_NORM` placeholder (inference-mode BatchNormalization,
 * `y = x · m + o` per channel with `m = γ / √(σ² + ε)` and `o = β − μ · m`):
 *
 * - **folded** into the preceding CONV_2D, DEPTHWISE_CONV_2D or FULLY_CONNECTED (also through
 *   Conv1D's reshape) when that operator applies no activation and nothing else reads its output:
 *   kernel output channel c is multiplied by `m_c` and the bias becomes `b_c · m_c + o_c`, as the
 *   TF converter does;
 * - otherwise written as MUL by `m` and ADD of `o` (per-channel constants of shape `[C]`).
 *
 * Consequences for the session's invariants (the folded kernel is what gets quantized and what
 * the read-back verification sees): multiplying a channel by one constant keeps its zeros and its
 * number of distinct values, so `sparsity` and per-channel `clusters` claims still hold exactly;
 * a per-tensor `clusters` claim holds per output channel only (each channel is scaled by its own
 * constant), and an `int8-grid` survives only per channel (scale `s_c·|m_c|`). The kernel's
 * `source.foldedScale` records `m` so that quantization and verification can account for it.
 *
 * Folding needs the kernel and bias to belong to this operator alone: a shared layer's weights
 * serve other calls too, so its BatchNormalization is written as MUL + ADD instead.
 */
export function foldBatchNorm(graph: TfliteGraph): void {
  for (const op of graph.ops.filter((o) => o.code === 'BATCH_NORM')) {
    const site = findFusionSite(graph, op.inputs[0], ['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED']);
    if (site && ownsWeights(graph, site.producer)) {
      fold(site.producer, op);
      absorbOperator(graph, site, op);
      graph.notes.folded.push(`${op.layer} → ${site.producer.layer}`);
    } else {
      expand(graph, op);
      graph.notes.expanded.push(op.layer);
    }
  }
}

function ownsWeights(graph: TfliteGraph, producer: GraphOp): boolean {
  return producer.inputs.slice(1).every((t) => graph.consumers(t).length === 1);
}

function fold(producer: GraphOp, bn: GraphOp): void {
  const m = bn.options.multiplier!;
  const o = bn.options.offset!;
  const [, kernel, bias] = producer.inputs;
  const source = kernel.source!;
  const data = kernel.data as Float32Array;
  const channels = m.length;
  if (source.outChannels !== channels) {
    throw new Error(`foldBatchNorm: internal error: '${bn.layer}' has ${channels} channels, '${producer.layer}' ${source.outChannels}`);
  }
  if (fileChannelPosition(source) === 'last') {
    for (let j = 0; j < data.length; j++) data[j] = data[j] * m[j % channels];
  } else {
    const per = data.length / channels;
    for (let c = 0; c < channels; c++) {
      const mc = m[c];
      for (let j = c * per, end = j + per; j < end; j++) data[j] = data[j] * mc;
    }
  }
  const b = bias.data as Float32Array;
  const folded = new Float32Array(channels);
  for (let c = 0; c < channels; c++) folded[c] = b[c] * m[c] + o[c];
  producer.inputs[2] = new GraphTensor(bias.name, [channels], 'float32', folded);
  source.foldedScale = m;
  source.foldedFrom = bn.layer;
}

function expand(graph: TfliteGraph, bn: GraphOp): void {
  const m = bn.options.multiplier!;
  const o = bn.options.offset!;
  const x = bn.inputs[0];
  const out = bn.outputs[0];
  const channels = m.length;
  const multiplier = new GraphTensor(`${bn.layer}/multiplier`, [channels], 'float32', Float32Array.from(m));
  const offset = new GraphTensor(`${bn.layer}/offset`, [channels], 'float32', Float32Array.from(o));
  let oMin = Infinity;
  let oMax = -Infinity;
  for (const v of o) {
    oMin = Math.min(oMin, v);
    oMax = Math.max(oMax, v);
  }
  const scaled = new GraphTensor(`${out.name}/scaled`, out.shape, 'float32');
  // x·m is no layer's output; bound it from the layer's output range: x·m = y − o.
  scaled.rule = {
    kind: 'derived',
    from: [out],
    derive: ([r]) => ({ min: r.min - oMax, max: r.max - oMin }),
    note: `'${scaled.name}' (x · multiplier of '${bn.layer}', written as MUL/ADD): range bounded from the layer's output range, not observed`,
  };
  const at = graph.ops.indexOf(bn);
  const common = { layer: bn.layer, className: bn.className };
  graph.ops.splice(
    at,
    1,
    { ...common, code: 'MUL', inputs: [x, multiplier], outputs: [scaled], options: { activation: 'NONE' } },
    { ...common, code: 'ADD', inputs: [scaled, offset], outputs: [out], options: { activation: 'NONE' } },
  );
}
