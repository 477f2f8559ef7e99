import type { ActivationRange } from '@collabopt/core';

/** Element type of a tensor in the exported file. */
export type TensorDType = 'float32' | 'float16' | 'int8' | 'int32';

/** Activation a TFLite kernel applies to its own output. */
export type FusedActivation = 'NONE' | 'RELU' | 'RELU6';

/** TFLite padding (TF's SAME / VALID). */
export type PaddingMode = 'SAME' | 'VALID';

/** TFLite builtin operators the exporter emits, plus `BATCH_NORM`, which passes lower before writing. */
export type OpCode =
  | 'ADD'
  | 'AVERAGE_POOL_2D'
  | 'CONCATENATION'
  | 'CAST'
  | 'CONV_2D'
  | 'DEPTHWISE_CONV_2D'
  | 'DEQUANTIZE'
  | 'FULLY_CONNECTED'
  | 'GATHER'
  | 'LOGISTIC'
  | 'MAX_POOL_2D'
  | 'MEAN'
  | 'MUL'
  | 'PACK'
  | 'PAD'
  | 'QUANTIZE'
  | 'REDUCE_MAX'
  | 'RELU'
  | 'RELU6'
  | 'RESHAPE'
  | 'RESIZE_BILINEAR'
  | 'RESIZE_NEAREST_NEIGHBOR'
  | 'SLICE'
  | 'RSQRT'
  | 'SOFTMAX'
  | 'SPLIT'
  | 'SUB'
  | 'TANH'
  | 'LEAKY_RELU'
  | 'PRELU'
  | 'ELU'
  | 'GELU'
  | 'MAXIMUM'
  | 'MINIMUM'
  | 'TRANSPOSE'
  | 'TRANSPOSE_CONV'
  | 'UNPACK'
  | 'BATCH_NORM';

/** Affine quantization of a tensor: real = scale · (q − zeroPoint), per tensor or along `axis`. */
export interface TensorQuantization {
  /** float32 scales: one per tensor, or one per index along `axis`. */
  readonly scales: Float32Array;
  /** Zero points, same length as `scales`. */
  readonly zeroPoints: Int32Array;
  /** Quantized dimension (0 for per-tensor). */
  readonly axis: number;
}

/**
 * Where an int8 activation tensor's quantization comes from (see the README's int8 contract):
 * - `range`: `state.activationRanges.get(key)`, mapped with `activationQuantParams`; when the
 *   state has no such range, `fallback` (if any) bounds it from other tensors' ranges;
 * - `same`: must equal another tensor's (TFLite requires it for MAX_POOL_2D, RESHAPE, PAD, ...);
 *   `ownKey` names the layer's own range, which, when recorded, is applied by a requantizing
 *   QUANTIZE after the operator (AveragePooling2D, whose output QAT quantizes);
 * - `fixed`: set by TFLite's kernel (SOFTMAX/LOGISTIC output 1/256 with zero point −128, TANH
 *   1/128 with 0);
 * - `derived`: a bound computed from other tensors' ranges, for tensors no layer outputs (the
 *   middle of a standalone BatchNormalization, partial sums of a many-input Add).
 */
export type QuantRule =
  | { readonly kind: 'range'; readonly key: string; readonly what: string; readonly fallback?: DerivedRange }
  | { readonly kind: 'same'; readonly as: GraphTensor; readonly ownKey?: string }
  | { readonly kind: 'fixed'; readonly scale: number; readonly zeroPoint: number }
  | ({ readonly kind: 'derived' } & DerivedRange);

/** A range computed from the (nudged) ranges of other tensors. */
export interface DerivedRange {
  readonly from: readonly GraphTensor[];
  readonly derive: (ranges: readonly ActivationRange[]) => ActivationRange;
  /**
   * Said in the export report's `notes` when the range is used (a `derived` rule, or a `range`
   * rule's fallback): a range bounded, not observed, is coarser than the one training used.
   */
  readonly note?: string;
}

/** `rule` with every reference to tensor `from` replaced by `to`. */
export function retargetRule(rule: QuantRule | null, from: GraphTensor, to: GraphTensor): QuantRule | null {
  if (!rule) return rule;
  const swap = (t: GraphTensor) => (t === from ? to : t);
  switch (rule.kind) {
    case 'same':
      return rule.as === from ? { ...rule, as: to } : rule;
    case 'derived':
      return rule.from.includes(from) ? { ...rule, from: rule.from.map(swap) } : rule;
    case 'range':
      return rule.fallback?.from.includes(from) ? { ...rule, fallback: { ...rule.fallback, from: rule.fallback.from.map(swap) } } : rule;
    default:
      return rule;
  }
}

/**
 * How a kernel tensor in the file relates to the model weight it came from, for quantizing it with
 * the state's grid and for reading it back against the session's claims.
 *
 * Kernels are stored output-channel-major: `outFirst` moves the Keras kernel's last axis to the
 * front (Dense `[in, out]` → `[out, in]`, Conv2D `[h, w, in, out]` → `[out, h, w, in]`, Conv1D
 * `[k, in, out]` → `[out, 1, k, in]`); `depthwise` keeps the element order (`[h, w, in, m]` →
 * `[1, h, w, in·m]`). Either way Keras element `k` belongs to output channel `k % outChannels`.
 * `transposeConv`: a Conv2DTranspose kernel `[h, w, out, in]` stored as TRANSPOSE_CONV's
 * `[out, h, w, in]` (Keras element `k` is in channel `⌊k / in⌋ % out`; quantized per tensor).
 */
export interface WeightSource {
  /** Weight id in the session (`layer/kernel`), the key of its invariant records. */
  readonly weightId: string;
  readonly layer: string;
  readonly className: string;
  readonly kerasShape: readonly number[];
  /** `keras`: the Keras element order, channel last (an Embedding table read by GATHER). */
  readonly layout: 'outFirst' | 'depthwise' | 'transposeConv' | 'keras';
  readonly outChannels: number;
  /** Per-output-channel multipliers of a BatchNormalization folded into this kernel, or null. */
  foldedScale: Float64Array | null;
  /** Name of that BatchNormalization layer, or null. */
  foldedFrom: string | null;
  /** Set when the kernel was quantized with the state's `int8-grid` scales (× |m_c| if folded). */
  onGrid?: boolean;
}

/** Typed array holding a constant tensor's data in the file's element order. */
export type TensorData = Float32Array | Int8Array | Int32Array | Uint16Array;

/** A tensor of the graph being exported. Constants have `data`; activations have a `rule` in int8 mode. */
export class GraphTensor {
  /** Name in the file (made unique when written). */
  name: string;
  shape: number[];
  dtype: TensorDType;
  /** Constant data in the file's order, or null for tensors computed at run time. */
  data: TensorData | null;
  /** Set by the int8 / dynamic-range / float16 passes. */
  quant: TensorQuantization | null = null;
  /** Where an activation's int8 quantization comes from. */
  rule: QuantRule | null = null;
  /** The model weight a kernel constant came from. */
  source: WeightSource | null = null;

  constructor(name: string, shape: readonly number[], dtype: TensorDType, data: TensorData | null = null) {
    this.name = name;
    this.shape = [...shape];
    this.dtype = dtype;
    this.data = data;
  }

  /** Whether the tensor is a constant (weights, biases, shapes). */
  get isConstant(): boolean {
    return this.data !== null;
  }

  /** Number of elements. */
  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }
}

/** Options of a graph operator; each code reads the fields it needs. */
export interface OpOptions {
  padding?: PaddingMode;
  strideW?: number;
  strideH?: number;
  dilationW?: number;
  dilationH?: number;
  filterW?: number;
  filterH?: number;
  depthMultiplier?: number;
  activation?: FusedActivation;
  /** FULLY_CONNECTED on inputs of rank > 2: keep the leading dimensions. */
  keepNumDims?: boolean;
  /** CONCATENATION, GATHER, PACK, UNPACK axis (non-negative). */
  axis?: number;
  /** PACK: number of inputs; UNPACK: number of outputs; SPLIT: number of parts (its axis is an input tensor). */
  count?: number;
  /** RESHAPE target (also given as the shape input tensor). */
  newShape?: number[];
  /** MEAN / REDUCE_MAX. */
  keepDims?: boolean;
  /** SOFTMAX. */
  beta?: number;
  /** LEAKY_RELU: the slope for negative inputs. */
  alpha?: number;
  /** GELU: the tanh approximation (tfjs `gelu_new`) instead of the erf form (`gelu`). */
  approximate?: boolean;
  /** BATCH_NORM: y = x · multiplier + offset, per channel of the last axis (float64). */
  multiplier?: Float64Array;
  offset?: Float64Array;
}

/** An operator of the graph, with the layer it came from (for errors and the report). */
export interface GraphOp {
  code: OpCode;
  inputs: GraphTensor[];
  outputs: GraphTensor[];
  options: OpOptions;
  /** Layer this operator implements (or helps implement). */
  readonly layer: string;
  readonly className: string;
}

/** What the graph passes did, for the export report. */
export interface GraphNotes {
  /** `"bn → conv"`: BatchNormalization layers folded into the preceding kernel. */
  readonly folded: string[];
  /** BatchNormalization layers written as MUL + ADD. */
  readonly expanded: string[];
  /** `"relu → conv"`: activation layers fused into the preceding operator. */
  readonly fused: string[];
  /** Layers that compute nothing at inference (Dropout, linear Activation, Flatten of 2-D data). */
  readonly removed: string[];
  /** Quantization decisions worth knowing (a state's grid that could not be kept, ...). */
  readonly quantization: string[];
}

/**
 * The model as a TFLite operator graph, between lowering and writing: the passes (BatchNorm
 * folding, activation fusion, quantization) rewrite it in place. Operators are kept in execution
 * order; graphs are small (hundreds of operators), so producer/consumer look-ups scan.
 */
export class TfliteGraph {
  readonly ops: GraphOp[] = [];
  readonly inputs: GraphTensor[] = [];
  readonly outputs: GraphTensor[] = [];
  readonly notes: GraphNotes = { folded: [], expanded: [], fused: [], removed: [], quantization: [] };

  /** Appends an operator (callers add them in execution order) and returns it. */
  addOp(op: GraphOp): GraphOp {
    this.ops.push(op);
    return op;
  }

  /** Inserts an operator just before `before` (or at the start when `before` is null). */
  insertOpBefore(op: GraphOp, before: GraphOp | null): GraphOp {
    const i = before === null ? 0 : this.ops.indexOf(before);
    if (i < 0) throw new Error('TfliteGraph.insertOpBefore: operator not in the graph');
    this.ops.splice(i, 0, op);
    return op;
  }

  /** Removes an operator. */
  removeOp(op: GraphOp): void {
    const i = this.ops.indexOf(op);
    if (i >= 0) this.ops.splice(i, 1);
  }

  /** The operator that writes `t`, if any (constants and graph inputs have none). */
  producer(t: GraphTensor): GraphOp | undefined {
    return this.ops.find((op) => op.outputs.includes(t));
  }

  /** Operators that read `t`. */
  consumers(t: GraphTensor): GraphOp[] {
    return this.ops.filter((op) => op.inputs.includes(t));
  }

  /** Whether `t` is a model output. */
  isOutput(t: GraphTensor): boolean {
    return this.outputs.includes(t);
  }

  /** Makes every reader of `from` (operators and graph outputs) read `to` instead. */
  replaceUses(from: GraphTensor, to: GraphTensor): void {
    for (const op of this.ops) op.inputs = op.inputs.map((t) => (t === from ? to : t));
    for (let i = 0; i < this.outputs.length; i++) if (this.outputs[i] === from) this.outputs[i] = to;
  }

  /** Every tensor referenced by an operator or as a graph input/output, in first-use order. */
  tensors(): GraphTensor[] {
    const seen = new Set<GraphTensor>();
    for (const t of this.inputs) seen.add(t);
    for (const op of this.ops) for (const t of [...op.inputs, ...op.outputs]) seen.add(t);
    for (const t of this.outputs) seen.add(t);
    return [...seen];
  }
}
