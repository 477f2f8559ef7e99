import type { ActivationRange, Int8GridData, OptimizationState } from '@collabopt/core';
import { activationQuantParams } from '../../../quantization/activationQuantParams';
import { quantizeBias } from '../../../quantization/quantizeBias';
import { roundHalfAwayFromZero } from '../../../quantization/roundHalfAwayFromZero';
import { quantizeKernel, type KernelTarget } from './quantizeKernel';
import { TfliteExportError } from '../../../errors/TfliteExportError';
import { GraphTensor, retargetRule, type GraphOp, type TensorQuantization, type TfliteGraph } from '../TfliteGraph';
import type { TfliteIoType } from '../TfliteExportOptions';

/** Inputs of {@link toInt8Graph}. */
export interface Int8GraphOptions {
  /** Activation ranges by key (layer name, `<layer>/preactivation`, `<layer>/depthwise`, input layer name). */
  readonly ranges: ReadonlyMap<string, ActivationRange>;
  /** The state whose `int8-grid`, `clusters` records steer weight quantization. */
  readonly state?: OptimizationState;
  /** Type of the model's inputs and outputs. */
  readonly io: TfliteIoType;
  /** What to do with an int32 bias overflow. */
  readonly biasOverflow: 'throw' | 'clamp';
  /** Scales of FULLY_CONNECTED kernels (`TfliteExportOptions.denseWeights`); default per tensor. */
  readonly denseWeights?: 'per-tensor' | 'per-channel';
}

interface Params {
  readonly scale: number;
  readonly zeroPoint: number;
  readonly min: number;
  readonly max: number;
}

function perTensor(scale: number, zeroPoint: number): TensorQuantization {
  return { scales: Float32Array.of(scale), zeroPoints: Int32Array.of(zeroPoint), axis: 0 };
}

function sameQuant(a: TensorQuantization, b: TensorQuantization): boolean {
  return a.scales[0] === b.scales[0] && a.zeroPoints[0] === b.zeroPoints[0];
}

/**
 * `int8` mode (full integer), in place:
 *
 * 1. Every activation tensor gets int8 parameters from its rule (see `QuantRule`): its layer's
 *    range in `ranges` mapped by `activationQuantParams` — the grid the fake-quant used — or its
 *    input's parameters where TFLite requires them to be equal, or TFLite's fixed output grids;
 *    an average pooling whose own range is recorded is written as a depthwise convolution onto
 *    it (VALID padding) or requantized onto it (SAME); a tensor without a
 *    range whose readers are all ReLU/Concatenate takes their grid. Every range still missing is
 *    listed in one `missing-activation-range` error.
 * 2. Kernels become int8 (per channel for convolutions, per tensor for FULLY_CONNECTED unless
 *    `denseWeights` is per channel; the
 *    state's `int8-grid` scales when it has them, see `quantizeKernel`); biases int32 with scale
 *    input scale × weight scale (`quantizeBias`); a standalone BatchNormalization is a 1×1
 *    depthwise convolution (between RESHAPEs on rank-2 and rank-3 data).
 * 3. CONCATENATION, MAXIMUM and MINIMUM inputs whose parameters differ from the output's are
 *    requantized (QUANTIZE int8 → int8): TFLite's int8 kernels require all of them to be equal
 *    (MAXIMUM/MINIMUM compare raw levels; their constants are quantized on the output's grid).
 * 4. With float inputs/outputs, QUANTIZE after each input and DEQUANTIZE before each output.
 */
export function toInt8Graph(graph: TfliteGraph, options: Int8GraphOptions): void {
  leakyReluAsMaximum(graph);
  averagePoolsOnOwnGrid(graph, options.ranges);
  batchNormsAsDepthwise(graph);
  const requantizes = insertOwnRangeRequantizes(graph, options.ranges);
  assignActivationQuantization(graph, options.ranges);
  relu6InsideGrid(graph);
  for (const op of requantizes) {
    if (sameQuant(op.inputs[0].quant!, op.outputs[0].quant!)) {
      graph.replaceUses(op.outputs[0], op.inputs[0]);
      graph.removeOp(op);
      op.inputs[0].name = op.outputs[0].name;
    }
  }
  quantizeConstants(graph, options);
  requantizeConcatInputs(graph);
  if (options.io === 'float32') addIoConversions(graph);
}

/**
 * A fused RELU6 whose output grid ends at or below 6 becomes a fused RELU: the upper clamp lies
 * beyond the grid's last level, so the int8 results are the same. Why: TFLite computes the clamp
 * as `zero point + round(6 / scale)` in int32 and refuses to prepare the op when that overflows
 * (`no_integer_overflow_from_quantization`), which a near-empty range (a channel-dead ReLU6 layer
 * of an untrained or pruned model, scale below 6 / 2³¹) makes happen.
 */
function relu6InsideGrid(graph: TfliteGraph): void {
  for (const op of graph.ops) {
    const q = op.outputs[0]?.quant;
    if (op.options.activation !== 'RELU6' || !q || q.scales.length !== 1) continue;
    if ((127 - q.zeroPoints[0]!) * q.scales[0]! <= 6) op.options = { ...op.options, activation: 'RELU' };
  }
}

/**
 * A LEAKY_RELU with slope 0 ≤ α ≤ 1 becomes MUL by α then MAXIMUM with its input, both onto the
 * layer's grid: `max(x, α·x)`. Why: TFLite's int8 LEAKY_RELU kernels do not round once — TFLite
 * 2.9's lands one level low on part of the negative branch, XNNPACK (LiteRT) multiplies in 8-bit
 * fixed point — measured 2 output steps from the fake-quant model. MUL rounds `α·x` once onto
 * the output grid (α is exact in int8: level 127, scale α/127), the input is requantized onto it
 * (MAXIMUM compares raw levels), and rounding is monotonic, so the maximum of the two rounded
 * values is the rounded leaky ReLU: one rounding, as training does.
 */
function leakyReluAsMaximum(graph: TfliteGraph): void {
  for (const op of [...graph.ops]) {
    const alpha = op.options.alpha ?? 0.2;
    if (op.code !== 'LEAKY_RELU' || alpha < 0 || alpha > 1) continue;
    const [x] = op.inputs;
    const out = op.outputs[0];
    const scaled = new GraphTensor(`${out.name}/scaled`, out.shape, 'float32');
    scaled.rule = { kind: 'same', as: out };
    const slope = new GraphTensor(`${op.layer}/alpha`, [1], 'float32', Float32Array.of(alpha));
    const common = { layer: op.layer, className: op.className };
    graph.ops.splice(
      graph.ops.indexOf(op),
      1,
      { ...common, code: 'MUL', inputs: [x, slope], outputs: [scaled], options: { activation: 'NONE' } },
      { ...common, code: 'MAXIMUM', inputs: [x, scaled], outputs: [out], options: {} },
    );
  }
}

/**
 * A VALID-padded AVERAGE_POOL_2D whose layer has a range of its own becomes a DEPTHWISE_CONV_2D
 * with every tap 1/N: TFLite's int8 AVERAGE_POOL_2D must write on its input's grid, and the
 * QUANTIZE that then moved the result onto the layer's grid rounded twice (2–3 output steps from
 * the fake-quant model, which rounds the float average once). The convolution accumulates the
 * exact integer sum and requantizes it once onto the layer's grid; 1/N is exact in int8 per
 * channel (level 127, scale 1/(127 N)). With SAME padding TFLite averages over the window's
 * valid cells only, which a convolution cannot express: those keep the requantize.
 */
function averagePoolsOnOwnGrid(graph: TfliteGraph, ranges: ReadonlyMap<string, ActivationRange>): void {
  for (const op of graph.ops) {
    const rule = op.outputs[0]?.rule;
    if (op.code !== 'AVERAGE_POOL_2D' || op.options.padding !== 'VALID' || rule?.kind !== 'same' || !rule.ownKey || !ranges.has(rule.ownKey)) continue;
    const [x] = op.inputs;
    const channels = x.shape[3];
    const fh = op.options.filterH!;
    const fw = op.options.filterW!;
    const taps = new Float32Array(fh * fw * channels).fill(1 / (fh * fw));
    const kernel = new GraphTensor(`${op.layer}/average_taps`, [1, fh, fw, channels], 'float32', taps);
    const bias = new GraphTensor(`${op.layer}/average_bias`, [channels], 'float32', new Float32Array(channels));
    op.code = 'DEPTHWISE_CONV_2D';
    op.inputs = [x, kernel, bias];
    op.options = { padding: 'VALID', strideW: op.options.strideW, strideH: op.options.strideH, dilationW: 1, dilationH: 1, depthMultiplier: 1, activation: 'NONE' };
    op.outputs[0].rule = { kind: 'range', key: rule.ownKey, what: `output of '${op.layer}' (${op.className})` };
  }
}

/**
 * A standalone BatchNormalization (written by `foldBatchNorm` as MUL by `m` and ADD of `o`)
 * becomes a 1×1 DEPTHWISE_CONV_2D with kernel `m` and bias `o`; on data of another rank than 4
 * between two RESHAPEs ([b, c] and [b, n, c] viewed as [b, 1, 1, c] and [b, 1, n, c]; an int8
 * RESHAPE keeps its grid, so rounds nothing). MUL/ADD rounded twice (onto the intermediate x·m
 * grid, then the output's) and stored `m` as one symmetric int8 scale for all channels (half the
 * levels unused when every `m_c` is positive, coarse for small channels): 3–5 output steps from
 * the fake-quant model, which keeps BatchNormalization in float and rounds its output once. Per
 * output channel, one tap is exact in int8 (level ±127, scale |m_c| / 127) and the int32 bias is
 * `o` on the grid input scale × weight scale, so the file rounds once, onto the layer's grid, as
 * training does.
 */
function batchNormsAsDepthwise(graph: TfliteGraph): void {
  for (const mul of [...graph.ops]) {
    if (mul.code !== 'MUL' || mul.className !== 'BatchNormalization') continue;
    const readers = graph.consumers(mul.outputs[0]);
    const add = readers[0];
    if (readers.length !== 1 || add.code !== 'ADD' || add.layer !== mul.layer || graph.isOutput(mul.outputs[0])) continue;
    const [x, multiplier] = mul.inputs;
    const offset = add.inputs.find((t) => t !== mul.outputs[0])!;
    if (!(multiplier.data instanceof Float32Array) || !(offset.data instanceof Float32Array)) continue;
    const channels = multiplier.data.length;
    const rank = x.shape.length;
    if (rank < 2 || rank > 4 || x.shape[rank - 1] !== channels) continue;
    const out = add.outputs[0];
    const kernel = new GraphTensor(`${mul.layer}/multiplier`, [1, 1, 1, channels], 'float32', multiplier.data);
    const bias = new GraphTensor(`${mul.layer}/offset`, [channels], 'float32', offset.data);
    const options = { padding: 'VALID', strideW: 1, strideH: 1, dilationW: 1, dilationH: 1, depthMultiplier: 1, activation: add.options.activation ?? 'NONE' } as const;
    if (rank === 4) {
      mul.code = 'DEPTHWISE_CONV_2D';
      mul.inputs = [x, kernel, bias];
      mul.outputs = [out];
      mul.options = options;
      graph.removeOp(add);
      continue;
    }
    const view = [x.shape[0], 1, rank === 3 ? x.shape[1] : 1, channels];
    const common = { layer: mul.layer, className: mul.className };
    const viewed = new GraphTensor(`${x.name}/as_4d`, view, 'float32');
    viewed.rule = { kind: 'same', as: x };
    const conv = new GraphTensor(`${out.name}/4d`, view, 'float32');
    // The 4-D result carries the layer's range; the reshaped output shares it.
    conv.rule = out.rule;
    out.rule = { kind: 'same', as: conv };
    const shapeOf = (t: GraphTensor) => new GraphTensor(`${t.name}/shape`, [t.shape.length], 'int32', Int32Array.from(t.shape));
    graph.ops.splice(
      graph.ops.indexOf(mul),
      1,
      { ...common, code: 'RESHAPE', inputs: [x, shapeOf(viewed)], outputs: [viewed], options: { newShape: view } },
      { ...common, code: 'DEPTHWISE_CONV_2D', inputs: [viewed, kernel, bias], outputs: [conv], options },
      { ...common, code: 'RESHAPE', inputs: [conv, shapeOf(out)], outputs: [out], options: { newShape: [...out.shape] } },
    );
    graph.removeOp(add);
  }
}

/**
 * A kernel the exporter made itself (no model weight behind it, e.g. an average pooling's taps),
 * per output channel (last axis of the depthwise layout) with max|w| / 127 per channel.
 */
function exporterKernel(kernel: GraphTensor): { q: Int8Array; scales: Float32Array; axis: number } {
  const data = kernel.data as Float32Array;
  const channels = kernel.shape[kernel.shape.length - 1];
  const scales = new Float32Array(channels);
  for (let j = 0; j < data.length; j++) scales[j % channels] = Math.max(scales[j % channels], Math.abs(data[j]));
  for (let c = 0; c < channels; c++) scales[c] = scales[c] > 0 ? Math.fround(scales[c] / 127) : 1;
  const q = new Int8Array(data.length);
  for (let j = 0; j < data.length; j++) q[j] = Math.max(-127, Math.min(127, roundHalfAwayFromZero(Math.fround(data[j] / scales[j % channels]))));
  return { q, scales, axis: kernel.shape.length - 1 };
}

/**
 * For operators whose int8 output must share the input's grid but whose layer has a range of
 * its own in the state (AveragePooling2D, whose output QAT fake-quantizes): a QUANTIZE after the
 * operator moves the result onto the layer's grid, as the fake-quant model computes it.
 */
function insertOwnRangeRequantizes(graph: TfliteGraph, ranges: ReadonlyMap<string, ActivationRange>): GraphOp[] {
  const inserted: GraphOp[] = [];
  for (const op of [...graph.ops]) {
    const t = op.outputs[0];
    const rule = t?.rule;
    if (rule?.kind !== 'same' || !rule.ownKey || !ranges.has(rule.ownKey)) continue;
    const own = new GraphTensor(t.name, t.shape, t.dtype);
    own.rule = { kind: 'range', key: rule.ownKey, what: `output of '${op.layer}' (${op.className})` };
    t.name = `${t.name}/shared_grid`;
    graph.replaceUses(t, own);
    // Readers whose grid follows this tensor (a max pooling after it, say) follow the new one.
    for (const other of graph.tensors()) if (other !== own) other.rule = retargetRule(other.rule, t, own);
    const q: GraphOp = { code: 'QUANTIZE', inputs: [t], outputs: [own], options: {}, layer: op.layer, className: op.className };
    graph.ops.splice(graph.ops.indexOf(op) + 1, 0, q);
    inserted.push(q);
  }
  return inserted;
}

function assignActivationQuantization(graph: TfliteGraph, ranges: ReadonlyMap<string, ActivationRange>): void {
  const memo = new Map<GraphTensor, Params | null>();
  const missing = new Map<string, string>();
  const resolving = new Set<GraphTensor>();

  const fromRange = (r: ActivationRange): Params => {
    const p = activationQuantParams(r.min, r.max);
    return { scale: p.scale, zeroPoint: p.zeroPoint, min: p.nudgedMin, max: p.nudgedMax };
  };
  const derive = (from: readonly GraphTensor[], fn: (r: readonly ActivationRange[]) => ActivationRange): Params | null => {
    const inputs = from.map(resolve);
    return inputs.every((x) => x !== null) ? fromRange(fn(inputs.map((x) => ({ min: x!.min, max: x!.max })))) : null;
  };
  /**
   * A tensor without a range of its own whose every reader is a ReLU/ReLU6 or a Concatenate
   * takes that reader's output grid, as the quantize plugin's 'deferred' placement intends
   * (TFMOT: Concatenate quantizes only its output; X → ReLU quantizes once, after the ReLU).
   * For ReLU the result is exact: values the grid cannot hold are negative, and ReLU zeroes them.
   */
  const readersGrid = (t: GraphTensor): Params | null => {
    const readers = graph.consumers(t);
    if (graph.isOutput(t) || readers.length === 0) return null;
    if (!readers.every((op) => op.code === 'RELU' || op.code === 'RELU6' || op.code === 'CONCATENATION')) return null;
    const grids = readers.map((op) => resolve(op.outputs[0]));
    const first = grids[0];
    return first && grids.every((g) => g !== null && g.scale === first.scale && g.zeroPoint === first.zeroPoint) ? first : null;
  };
  const resolve = (t: GraphTensor): Params | null => {
    if (memo.has(t)) return memo.get(t)!;
    if (resolving.has(t)) throw new Error(`toInt8Graph: internal error: circular quantization rule at '${t.name}'`);
    resolving.add(t);
    const rule = t.rule;
    let p: Params | null;
    if (!rule) throw new Error(`toInt8Graph: internal error: activation '${t.name}' has no quantization rule`);
    switch (rule.kind) {
      case 'range': {
        const r = ranges.get(rule.key);
        if (r && r.bits !== undefined && r.bits !== 8) {
          throw new TfliteExportError(
            'options',
            `the activation range '${rule.key}' was emulated with ${r.bits} bits; an int8 TFLite file computes with 8 — quantize with activationBits: 8 for int8 export`,
          );
        }
        if (r) p = fromRange(r);
        else if (rule.fallback) {
          p = derive(rule.fallback.from, rule.fallback.derive);
          if (p && rule.fallback.note) graph.notes.quantization.push(rule.fallback.note);
        } else {
          p = readersGrid(t);
          if (!p) missing.set(rule.key, rule.what);
        }
        break;
      }
      case 'same':
        p = resolve(rule.as);
        break;
      case 'fixed':
        p = { scale: rule.scale, zeroPoint: rule.zeroPoint, min: rule.scale * (-128 - rule.zeroPoint), max: rule.scale * (127 - rule.zeroPoint) };
        break;
      case 'derived':
        p = derive(rule.from, rule.derive);
        if (p && rule.note) graph.notes.quantization.push(rule.note);
        break;
    }
    resolving.delete(t);
    memo.set(t, p);
    return p;
  };

  const activations = graph.tensors().filter((t) => !t.isConstant);
  for (const t of activations) resolve(t);
  if (missing.size > 0) {
    const lines = [...missing].map(([key, what]) => `  - '${key}': ${what}`);
    throw new TfliteExportError(
      'missing-activation-range',
      `TFLite int8 export needs the activation range of ${missing.size} tensor(s) that the optimization state does not have:\n${lines.join('\n')}\n` +
        `Calibrate first (observeActivationRanges(model, samples, { state }) fills state.activationRanges) or train with the quantize plugin (QAT).`,
    );
  }
  for (const t of activations) {
    const p = memo.get(t)!;
    t.dtype = 'int8';
    t.quant = perTensor(p.scale, p.zeroPoint);
  }
}

/**
 * The int8 form of a model kernel (one with a `source` weight), quantized once per kernel tensor
 * (`kernels` memoizes: a shared layer's ops read one tensor) at `granularity`, from the state's
 * grid when it has one; a quantization note names the weight.
 */
function int8ModelKernel(graph: TfliteGraph, kernels: Map<GraphTensor, GraphTensor>, kernel: GraphTensor, granularity: KernelTarget, options: Int8GraphOptions): GraphTensor {
  const k = quantizeKernel(kernel, granularity, options.state);
  const q = new GraphTensor(kernel.name, kernel.shape, 'int8', k.q);
  q.source = kernel.source;
  if (k.fromGrid) kernel.source!.onGrid = true;
  q.quant = { scales: k.scales, zeroPoints: new Int32Array(k.scales.length), axis: k.axis };
  if (k.note) graph.notes.quantization.push(`${kernel.source!.weightId}: ${k.note}`);
  kernels.set(kernel, q);
  return q;
}

function quantizeConstants(graph: TfliteGraph, options: Int8GraphOptions): void {
  const kernels = new Map<GraphTensor, GraphTensor>();
  for (const op of graph.ops) {
    if (op.code === 'CONV_2D' || op.code === 'DEPTHWISE_CONV_2D' || op.code === 'FULLY_CONNECTED') {
      const [x, kernel, bias] = op.inputs;
      let q = kernels.get(kernel);
      if (!q && !kernel.source) {
        const k = exporterKernel(kernel);
        q = new GraphTensor(kernel.name, kernel.shape, 'int8', k.q);
        q.quant = { scales: k.scales, zeroPoints: new Int32Array(k.scales.length), axis: k.axis };
        kernels.set(kernel, q);
      } else if (!q) {
        const dense = options.denseWeights === 'per-channel' ? 'perChannel' : 'perTensor';
        q = int8ModelKernel(graph, kernels, kernel, op.code === 'FULLY_CONNECTED' ? dense : 'perChannel', options);
      }
      op.inputs[1] = q;
      op.inputs[2] = int32Bias(op, bias, x.quant!.scales[0], q.quant!.scales, options.biasOverflow);
    } else if (op.code === 'TRANSPOSE_CONV') {
      // Inputs: output shape, kernel [out, h, w, in] (per tensor, as the quantize plugin trains it), data, bias.
      const [shape, kernel, x, bias] = op.inputs;
      const q = kernels.get(kernel) ?? int8ModelKernel(graph, kernels, kernel, 'perTensor', options);
      op.inputs = [shape, q, x, int32Bias(op, bias, x.quant!.scales[0], q.quant!.scales, options.biasOverflow)];
    } else {
      op.inputs = op.inputs.map((t) => (t.data instanceof Float32Array ? int8Constant(op, t, options.state) : t));
    }
  }
}

function int32Bias(op: GraphOp, bias: GraphTensor, inputScale: number, weightScales: Float32Array, onOverflow: 'throw' | 'clamp'): GraphTensor {
  try {
    const b = quantizeBias(bias.data as Float32Array, inputScale, weightScales, { onOverflow });
    const t = new GraphTensor(bias.name, bias.shape, 'int32', b.q);
    t.quant = { scales: b.scales, zeroPoints: new Int32Array(b.scales.length), axis: 0 };
    return t;
  } catch (e) {
    throw new TfliteExportError('numeric', `TFLite int8 export: bias '${bias.name}' of '${op.layer}' (${op.className}): ${(e as Error).message}`);
  }
}

/**
 * A float constant read by MUL or ADD (a standalone BatchNormalization's per-channel vectors, an
 * Average's 1/n) as int8 per tensor: symmetric for MUL's multiplier (zero point 0, like a
 * weight), asymmetric over [min(v, 0), max(v, 0)] for ADD's offset (like an activation); PRELU's
 * slopes symmetric too, with the state's `int8-grid` scale when the quantize plugin trained them
 * (so the file holds the trained levels); MAXIMUM/MINIMUM's on the operator's output grid.
 */
function int8Constant(op: GraphOp, t: GraphTensor, state: OptimizationState | undefined): GraphTensor {
  const v = t.data as Float32Array;
  let lo = 0;
  let hi = 0;
  for (const x of v) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  let scale: number;
  let zeroPoint: number;
  const grid = op.code === 'PRELU' ? state?.get<Int8GridData>(t.name, 'int8-grid')?.data : undefined;
  if (grid && grid.scales.length === 1) {
    scale = grid.scales[0];
    zeroPoint = 0;
  } else if (op.code === 'MUL' || op.code === 'PRELU') {
    const m = Math.max(-lo, hi);
    scale = m > 0 ? Math.fround(m / 127) : Math.fround(1 / 127);
    zeroPoint = 0;
  } else if (op.code === 'MAXIMUM' || op.code === 'MINIMUM') {
    scale = op.outputs[0].quant!.scales[0];
    zeroPoint = op.outputs[0].quant!.zeroPoints[0];
  } else if (op.code === 'ADD') {
    const p = activationQuantParams(lo, hi);
    scale = p.scale;
    zeroPoint = p.zeroPoint;
  } else {
    throw new Error(`toInt8Graph: internal error: float constant '${t.name}' read by ${op.code} of '${op.layer}'`);
  }
  const q = new Int8Array(v.length);
  for (let i = 0; i < v.length; i++) q[i] = Math.max(-128, Math.min(127, roundHalfAwayFromZero(Math.fround(v[i] / scale)) + zeroPoint));
  const out = new GraphTensor(t.name, t.shape, 'int8', q);
  out.quant = perTensor(scale, zeroPoint);
  return out;
}

function requantizeConcatInputs(graph: TfliteGraph): void {
  for (const op of [...graph.ops]) {
    if (op.code !== 'CONCATENATION' && op.code !== 'MAXIMUM' && op.code !== 'MINIMUM') continue;
    const target = op.outputs[0].quant!;
    op.inputs = op.inputs.map((t) => {
      if (sameQuant(t.quant!, target)) return t;
      const r = new GraphTensor(`${t.name}/requantized`, t.shape, 'int8');
      r.quant = target;
      graph.insertOpBefore({ code: 'QUANTIZE', inputs: [t], outputs: [r], options: {}, layer: op.layer, className: op.className }, op);
      return r;
    });
  }
}

function addIoConversions(graph: TfliteGraph): void {
  graph.inputs.forEach((q, i) => {
    const f = new GraphTensor(q.name, q.shape, 'float32');
    q.name = `${q.name}/int8`;
    graph.insertOpBefore({ code: 'QUANTIZE', inputs: [f], outputs: [q], options: {}, layer: f.name, className: 'InputLayer' }, graph.ops[0] ?? null);
    graph.inputs[i] = f;
  });
  const done = new Map<GraphTensor, GraphTensor>();
  graph.outputs.forEach((q, i) => {
    let f = done.get(q);
    if (!f) {
      f = new GraphTensor(q.name, q.shape, 'float32');
      q.name = `${q.name}/int8`;
      const producer = graph.producer(q);
      graph.addOp({ code: 'DEQUANTIZE', inputs: [q], outputs: [f], options: {}, layer: producer?.layer ?? f.name, className: producer?.className ?? '' });
      done.set(q, f);
    }
    graph.outputs[i] = f;
  });
}
