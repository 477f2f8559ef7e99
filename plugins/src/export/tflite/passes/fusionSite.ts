import { retargetRule, type GraphOp, type GraphTensor, type OpCode, type TfliteGraph } from '../TfliteGraph';

/**
 * Where a per-channel operation (BatchNormalization, ReLU) on `tensor` can be merged into the
 * operator that produced it: that producer, and the single-consumer RESHAPE between them, if any.
 * Conv1D is written as CONV_2D + RESHAPE, so looking through one reshape that keeps the channel
 * axis lets Conv1D fold and fuse like Conv2D.
 */
export interface FusionSite {
  /** The operator that will absorb the per-channel operation. */
  readonly producer: GraphOp;
  /** A RESHAPE between the producer and the operation (it keeps the last dimension), or null. */
  readonly reshape: GraphOp | null;
}

/**
 * Finds the {@link FusionSite} for an operation reading `tensor`, or null when merging would
 * change what some other reader sees: the intermediate tensors must have no other reader, must not
 * be model outputs, and the producer must not already apply an activation (and must be one of
 * `codes`).
 */
export function findFusionSite(graph: TfliteGraph, tensor: GraphTensor, codes: readonly OpCode[]): FusionSite | null {
  const private_ = (t: GraphTensor) => graph.consumers(t).length === 1 && !graph.isOutput(t);
  if (!private_(tensor)) return null;
  let t = tensor;
  let reshape: GraphOp | null = null;
  let producer = graph.producer(t);
  if (producer?.code === 'RESHAPE') {
    const input = producer.inputs[0];
    if (input.shape[input.shape.length - 1] !== t.shape[t.shape.length - 1] || !private_(input)) return null;
    reshape = producer;
    t = input;
    producer = graph.producer(t);
  }
  if (!producer || !codes.includes(producer.code) || (producer.options.activation ?? 'NONE') !== 'NONE') return null;
  return { producer, reshape };
}

/**
 * Removes `op` (one input, one output) after its effect was merged into `site.producer`: the
 * producer chain now writes `op`'s output tensor directly, which keeps its consumers and its
 * quantization rule; a RESHAPE in between keeps running, and the 4-D tensor it reads takes over
 * the rule (a RESHAPE's output shares its input's quantization). Rules that referred to the
 * vanished tensor refer to `op`'s output instead.
 */
export function absorbOperator(graph: TfliteGraph, site: FusionSite, op: GraphOp): void {
  const out = op.outputs[0];
  const removed = op.inputs[0];
  // Rules that bounded their range by the vanished tensor now use the one that replaces it.
  for (const t of graph.tensors()) t.rule = retargetRule(t.rule, removed, out);
  if (site.reshape) {
    const inner = site.reshape.inputs[0];
    inner.rule = out.rule;
    out.rule = { kind: 'same', as: inner };
    site.reshape.outputs = [out];
  } else {
    site.producer.outputs = [out];
  }
  graph.removeOp(op);
}
