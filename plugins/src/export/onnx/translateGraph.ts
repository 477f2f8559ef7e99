import { onnx } from 'onnx-proto';
import type { GraphOp, GraphTensor, TensorData, TfliteGraph, WeightSource } from '../tflite/TfliteGraph';
import { OnnxGraphBuilder } from './OnnxGraphBuilder';
import { inversePermutation, permute } from './permute';

/** NHWC → NCHW: ONNX's convolutions and poolings read channels first. */
const TO_NCHW = [0, 3, 1, 2];

/** A kernel as written: the initializer, the model weight, and its axis order relative to the operator graph's layout. */
export interface OnnxKernel {
  /** Initializer name. */
  readonly initializer: string;
  readonly source: WeightSource;
  /** Axis k of the initializer is axis `perm[k]` of the kernel in the operator graph's (TFLite) layout. */
  readonly perm: readonly number[];
  /** Shape in the operator graph's layout. */
  readonly graphShape: readonly number[];
}

/** The translated graph: builder contents plus what the reader and the report need. */
export interface TranslatedGraph {
  readonly builder: OnnxGraphBuilder;
  /** Input and output value names with their shapes (batch first, written as a symbolic dimension). */
  readonly inputs: readonly { readonly name: string; readonly shape: readonly number[] }[];
  readonly outputs: readonly { readonly name: string; readonly shape: readonly number[] }[];
  readonly kernels: readonly OnnxKernel[];
}

/**
 * Translates the operator graph (after its passes: float, or `toInt8Graph`'s int8 plan) into ONNX
 * nodes, operator by operator, keeping the graph's NHWC data layout at every tensor (so inputs and
 * outputs are laid out as in tfjs) and transposing around the operators ONNX defines channels
 * first. In an int8 graph every int8 tensor becomes QuantizeLinear → DequantizeLinear with its
 * scale and zero point, every int8/int32 constant an integer initializer read through
 * DequantizeLinear (per axis for per-channel kernels), and each operator computes in float between
 * them: the QDQ form, which onnxruntime fuses into integer kernels.
 */
export function translateGraph(graph: TfliteGraph): TranslatedGraph {
  const t = new Translation(graph);
  return t.run();
}

class Translation {
  private readonly b = new OnnxGraphBuilder();
  /** Canonical value of each tensor, in the graph's layout: the int8 value for quantized tensors, else the float one. */
  private readonly canonical = new Map<GraphTensor, string>();
  /** Derived values (dequantized, transposed) by tensor and layout. */
  private readonly derived = new Map<string, string>();
  private readonly constants = new Map<string, string>();
  private readonly kernels: OnnxKernel[] = [];

  constructor(private readonly graph: TfliteGraph) {}

  run(): TranslatedGraph {
    const { graph, b } = this;
    // Inputs and outputs keep their names: reserve them before any internal value is named.
    const inputs = graph.inputs.map((t) => ({ name: b.unique(t.name), shape: t.shape }));
    const outputNames = graph.outputs.map((t) => b.unique(`${t.name}`));
    graph.inputs.forEach((t, i) => this.canonical.set(t, inputs[i].name));
    for (const op of graph.ops) this.translate(op);
    const outputs = graph.outputs.map((t, i) => {
      const value = this.float(t);
      b.nodes.push({ opType: 'Identity', name: outputNames[i], input: [value], output: [outputNames[i]] });
      return { name: outputNames[i], shape: t.shape };
    });
    return { builder: b, inputs, outputs, kernels: this.kernels };
  }

  private quantized(t: GraphTensor): boolean {
    return t.quant !== null && (t.dtype === 'int8' || t.dtype === 'int32');
  }

  /** The float value of `t`, axes reordered by `perm` (dequantized, for an int8 tensor). */
  private float(t: GraphTensor, perm: readonly number[] | null = null): string {
    if (t.isConstant) return this.constant(t, perm);
    const base = this.canonical.get(t);
    if (base === undefined) throw new Error(`ONNX export: internal error: '${t.name}' is read before it is computed`);
    const key = `${base}|${perm?.join(',') ?? ''}`;
    const memo = this.derived.get(key);
    if (memo) return memo;
    let value = perm ? this.b.node('Transpose', [base], `${t.name}/nchw`, { perm: [...perm] }) : base;
    if (this.quantized(t)) value = this.b.node('DequantizeLinear', [value, this.b.scalar(t.quant!.scales[0], 'float32'), this.b.scalar(t.quant!.zeroPoints[0], 'int8')], `${t.name}/dequantized`);
    this.derived.set(key, value);
    return value;
  }

  /** Records `value` (float, axes ordered by `perm`) as `t`, quantizing it when `t` is int8. */
  private define(t: GraphTensor, value: string, perm: readonly number[] | null = null): void {
    let v = value;
    if (this.quantized(t)) v = this.b.node('QuantizeLinear', [v, this.b.scalar(t.quant!.scales[0], 'float32'), this.b.scalar(t.quant!.zeroPoints[0], 'int8')], `${t.name}/quantized`);
    if (perm) v = this.b.node('Transpose', [v], t.name, { perm: inversePermutation(perm) });
    this.canonical.set(t, v);
  }

  /** A constant as an initializer in the axis order `perm`, dequantized when it is integer with a quantization. */
  private constant(t: GraphTensor, perm: readonly number[] | null): string {
    const order = perm ?? t.shape.map((_, i) => i);
    const key = `${t.name}|${order.join(',')}|${this.graphId(t)}`;
    const memo = this.constants.get(key);
    if (memo) return memo;
    const data = permute(t.data as Exclude<TensorData, Uint16Array>, t.shape, order);
    const dims = order.map((p) => t.shape[p]);
    const stored = this.b.initializer(t.name, dims, data);
    if (t.source) this.kernels.push({ initializer: stored, source: t.source, perm: order, graphShape: t.shape });
    let value = stored;
    if (this.quantized(t)) {
      const q = t.quant!;
      const perAxis = q.scales.length > 1;
      const zeroType = t.dtype === 'int32' ? 'int32' : 'int8';
      const scale = perAxis ? this.b.initializer(`${t.name}/scale`, [q.scales.length], Float32Array.from(q.scales)) : this.b.scalar(q.scales[0], 'float32');
      const zero = perAxis
        ? this.b.initializer(`${t.name}/zero_point`, [q.scales.length], zeroType === 'int32' ? Int32Array.from(q.zeroPoints) : Int8Array.from(q.zeroPoints))
        : this.b.scalar(q.zeroPoints[0], zeroType);
      value = this.b.node('DequantizeLinear', [stored, scale, zero], `${t.name}/dequantized`, perAxis ? { axis: order.indexOf(q.axis) } : {});
    }
    this.constants.set(key, value);
    return value;
  }

  private readonly ids = new Map<GraphTensor, number>();
  /** Distinguishes constants that share a name (they are separate tensors). */
  private graphId(t: GraphTensor): number {
    let id = this.ids.get(t);
    if (id === undefined) this.ids.set(t, (id = this.ids.size));
    return id;
  }

  /** A one-element int64 initializer (Slice bounds, Unsqueeze axes). */
  private int64(name: string, value: number): string {
    return this.b.initializer(name, [1], BigInt64Array.of(BigInt(value)));
  }

  /** Applies an operator's fused activation. */
  private activated(value: string, op: GraphOp): string {
    switch (op.options.activation ?? 'NONE') {
      case 'NONE':
        return value;
      case 'RELU':
        return this.b.node('Relu', [value], `${op.layer}/relu`);
      case 'RELU6':
        return this.b.node('Clip', [value, this.b.scalar(0, 'float32'), this.b.scalar(6, 'float32')], `${op.layer}/relu6`);
    }
  }

  /**
   * GELU from opset-13 operators (ONNX's Gelu is opset 20): `0.5·x·(1 + erf(x/√2))`, or with
   * `approximate` the tanh form `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))` (tfjs `gelu_new`).
   */
  private gelu(x: string, layer: string, approximate: boolean): string {
    const { b } = this;
    const f = (v: number) => b.scalar(v, 'float32');
    let inner: string;
    if (approximate) {
      const cube = b.node('Mul', [b.node('Mul', [x, x], `${layer}/gelu_x2`), x], `${layer}/gelu_x3`);
      const poly = b.node('Add', [x, b.node('Mul', [cube, f(0.044715)], `${layer}/gelu_cubic`)], `${layer}/gelu_poly`);
      inner = b.node('Tanh', [b.node('Mul', [poly, f(Math.sqrt(2 / Math.PI))], `${layer}/gelu_scaled`)], `${layer}/gelu_tanh`);
    } else {
      inner = b.node('Erf', [b.node('Mul', [x, f(Math.SQRT1_2)], `${layer}/gelu_scaled`)], `${layer}/gelu_erf`);
    }
    const onePlus = b.node('Add', [inner, f(1)], `${layer}/gelu_one_plus`);
    return b.node('Mul', [b.node('Mul', [x, onePlus], `${layer}/gelu_product`), f(0.5)], `${layer}/gelu`);
  }

  private translate(op: GraphOp): void {
    const { b } = this;
    const [x] = op.inputs;
    const out = op.outputs[0];
    const o = op.options;
    switch (op.code) {
      case 'CONV_2D':
      case 'DEPTHWISE_CONV_2D': {
        const [, w, bias] = op.inputs;
        const depthwise = op.code === 'DEPTHWISE_CONV_2D';
        // CONV_2D kernels are [out, h, w, in] → [out, in, h, w]; depthwise [1, h, w, C] → [C, 1, h, w].
        const weight = this.float(w, depthwise ? [3, 0, 1, 2] : [0, 3, 1, 2]);
        const [kh, kw] = [w.shape[1], w.shape[2]];
        const strides = [o.strideH ?? 1, o.strideW ?? 1];
        const dilations = [o.dilationH ?? 1, o.dilationW ?? 1];
        const y = b.node('Conv', [this.float(x, TO_NCHW), weight, this.float(bias)], `${op.layer}/conv`, {
          kernel_shape: [kh, kw],
          strides,
          dilations,
          pads: pads(x.shape, [kh, kw], strides, dilations, o.padding ?? 'VALID'),
          group: depthwise ? x.shape[3] : 1,
        });
        this.define(out, this.activated(y, op), TO_NCHW);
        return;
      }
      case 'TRANSPOSE_CONV': {
        const [, w, data, bias] = op.inputs;
        // TRANSPOSE_CONV kernels are [out, h, w, in]; ConvTranspose reads [in, out, h, w].
        const weight = this.float(w, [3, 0, 1, 2]);
        const [kh, kw] = [w.shape[1], w.shape[2]];
        const strides = [o.strideH ?? 1, o.strideW ?? 1];
        // TF's transposed convolution is the input gradient of a forward convolution from the
        // output to the input: its pads are that convolution's; rows it cannot reach (a kernel
        // smaller than the stride) are ONNX's output_padding, at the end.
        const forward = pads(out.shape, [kh, kw], strides, [1, 1], o.padding ?? 'VALID');
        const extra = [0, 1].map((d) => out.shape[1 + d] - ((data.shape[1 + d] - 1) * strides[d] + [kh, kw][d] - forward[d] - forward[d + 2]));
        const y = b.node('ConvTranspose', [this.float(data, TO_NCHW), weight, this.float(bias)], `${op.layer}/conv_transpose`, {
          kernel_shape: [kh, kw],
          strides,
          pads: forward,
          ...(extra.some((e) => e !== 0) ? { output_padding: extra } : {}),
        });
        this.define(out, this.activated(y, op), TO_NCHW);
        return;
      }
      case 'FULLY_CONNECTED': {
        const [, w, bias] = op.inputs;
        let y: string;
        if (x.shape.length === 2) {
          y = b.node('Gemm', [this.float(x), this.float(w), this.float(bias)], `${op.layer}/gemm`, { transB: 1 });
        } else if (o.keepNumDims) {
          const product = b.node('MatMul', [this.float(x), this.float(w, [1, 0])], `${op.layer}/matmul`);
          y = b.node('Add', [product, this.float(bias)], `${op.layer}/bias_add`);
        } else {
          throw new Error(`ONNX export: internal error: FULLY_CONNECTED of '${op.layer}' on rank-${x.shape.length} data without keep_num_dims`);
        }
        this.define(out, this.activated(y, op));
        return;
      }
      case 'ADD':
      case 'MUL': {
        const y = b.node(op.code === 'ADD' ? 'Add' : 'Mul', op.inputs.map((t) => this.float(t)), `${op.layer}/${op.code.toLowerCase()}`);
        this.define(out, this.activated(y, op));
        return;
      }
      case 'CONCATENATION':
        this.define(out, this.activated(b.node('Concat', op.inputs.map((t) => this.float(t)), `${op.layer}/concat`, { axis: o.axis! }), op));
        return;
      case 'PAD': {
        const paddings = op.inputs[1].data as Int32Array;
        const rank = x.shape.length;
        const begins = Array.from({ length: rank }, (_, d) => BigInt(paddings[2 * d]));
        const ends = Array.from({ length: rank }, (_, d) => BigInt(paddings[2 * d + 1]));
        const padsValue = b.initializer(`${op.layer}/pads`, [2 * rank], BigInt64Array.from([...begins, ...ends]));
        this.define(out, b.node('Pad', [this.float(x), padsValue], `${op.layer}/pad`));
        return;
      }
      case 'MAX_POOL_2D':
      case 'AVERAGE_POOL_2D': {
        const kernel = [o.filterH!, o.filterW!];
        const strides = [o.strideH ?? 1, o.strideW ?? 1];
        const y = b.node(op.code === 'MAX_POOL_2D' ? 'MaxPool' : 'AveragePool', [this.float(x, TO_NCHW)], `${op.layer}/pool`, {
          kernel_shape: kernel,
          strides,
          pads: pads(x.shape, kernel, strides, [1, 1], o.padding ?? 'VALID'),
        });
        this.define(out, this.activated(y, op), TO_NCHW);
        return;
      }
      case 'MEAN':
      case 'REDUCE_MAX': {
        const axes = Array.from(op.inputs[1].data as Int32Array);
        const y = b.node(op.code === 'MEAN' ? 'ReduceMean' : 'ReduceMax', [this.float(x)], `${op.layer}/reduce`, { axes, keepdims: o.keepDims ? 1 : 0 });
        this.define(out, y);
        return;
      }
      case 'RELU':
        this.define(out, b.node('Relu', [this.float(x)], `${op.layer}/relu`));
        return;
      case 'RELU6':
        this.define(out, b.node('Clip', [this.float(x), b.scalar(0, 'float32'), b.scalar(6, 'float32')], `${op.layer}/relu6`));
        return;
      case 'LOGISTIC':
        this.define(out, b.node('Sigmoid', [this.float(x)], `${op.layer}/sigmoid`));
        return;
      case 'TANH':
        this.define(out, b.node('Tanh', [this.float(x)], `${op.layer}/tanh`));
        return;
      case 'LEAKY_RELU':
        this.define(out, b.node('LeakyRelu', [this.float(x)], `${op.layer}/leaky_relu`, { alpha: { float: o.alpha ?? 0.2 } }));
        return;
      case 'PRELU':
        // The slopes keep the graph's layout ([h, w, c] against NHWC data): PRelu broadcasts them.
        this.define(out, b.node('PRelu', [this.float(x), this.float(op.inputs[1])], `${op.layer}/prelu`));
        return;
      case 'ELU':
        this.define(out, b.node('Elu', [this.float(x)], `${op.layer}/elu`, { alpha: { float: 1 } }));
        return;
      case 'GELU':
        this.define(out, this.gelu(this.float(x), op.layer, o.approximate ?? false));
        return;
      case 'MAXIMUM':
      case 'MINIMUM':
        this.define(out, b.node(op.code === 'MAXIMUM' ? 'Max' : 'Min', op.inputs.map((t) => this.float(t)), `${op.layer}/${op.code.toLowerCase()}`));
        return;
      case 'SOFTMAX': {
        const scaled = (o.beta ?? 1) === 1 ? this.float(x) : b.node('Mul', [this.float(x), b.scalar(o.beta!, 'float32')], `${op.layer}/beta`);
        this.define(out, b.node('Softmax', [scaled], `${op.layer}/softmax`, { axis: -1 }));
        return;
      }
      case 'RESHAPE': {
        const target = o.newShape ?? Array.from(op.inputs[1].data as Int32Array);
        // The batch dimension is left free (0 copies it from the input): the file takes any batch.
        if (target[0] !== x.shape[0]) throw new Error(`ONNX export: internal error: RESHAPE of '${op.layer}' changes the batch dimension`);
        const shape = b.initializer(`${op.layer}/shape`, [target.length], BigInt64Array.from([0n, ...target.slice(1).map((d) => BigInt(d))]));
        this.define(out, b.node('Reshape', [this.float(x), shape], `${op.layer}/reshape`));
        return;
      }
      case 'SLICE': {
        const begin = Array.from(op.inputs[1].data as Int32Array);
        const size = Array.from(op.inputs[2].data as Int32Array);
        // The batch axis is left whole (the file takes any batch): slice the other axes only.
        const axes = begin.map((_, d) => d).slice(1);
        const starts = b.initializer(`${op.layer}/starts`, [axes.length], BigInt64Array.from(axes.map((d) => BigInt(begin[d]))));
        const ends = b.initializer(`${op.layer}/ends`, [axes.length], BigInt64Array.from(axes.map((d) => BigInt(begin[d] + size[d]))));
        const axesValue = b.initializer(`${op.layer}/axes`, [axes.length], BigInt64Array.from(axes.map((d) => BigInt(d))));
        this.define(out, b.node('Slice', [this.float(x), starts, ends, axesValue], `${op.layer}/slice`));
        return;
      }
      case 'TRANSPOSE':
        this.define(out, b.node('Transpose', [this.float(x)], `${op.layer}/transpose`, { perm: Array.from(op.inputs[1].data as Int32Array) }));
        return;
      case 'RESIZE_NEAREST_NEIGHBOR':
      case 'RESIZE_BILINEAR': {
        // Integer factors on NHWC data; 'asymmetric' is TF's source = destination / factor
        // (no align-corners, no half-pixel centers), nearest rounding down as TF's kernel does.
        const scales = b.initializer(`${op.layer}/scales`, [4], Float32Array.from([1, out.shape[1] / x.shape[1], out.shape[2] / x.shape[2], 1]));
        const nearest = op.code === 'RESIZE_NEAREST_NEIGHBOR';
        const y = b.node('Resize', [this.float(x), '', scales], `${op.layer}/resize`, {
          mode: nearest ? 'nearest' : 'linear',
          coordinate_transformation_mode: 'asymmetric',
          ...(nearest ? { nearest_mode: 'floor' } : {}),
        });
        this.define(out, y);
        return;
      }
      case 'SUB':
        this.define(out, this.activated(b.node('Sub', op.inputs.map((t) => this.float(t)), `${op.layer}/sub`), op));
        return;
      case 'RSQRT':
        this.define(out, b.node('Reciprocal', [b.node('Sqrt', [this.float(x)], `${op.layer}/sqrt`)], `${op.layer}/rsqrt`));
        return;
      case 'CAST':
        // Float indices to int32, truncating toward zero as TFLite's CAST and tfjs's cast do.
        this.define(out, b.node('Cast', [this.float(x)], `${op.layer}/cast`, { to: onnx.TensorProto.DataType.INT32 }));
        return;
      case 'GATHER':
        this.define(out, b.node('Gather', [this.float(x), this.float(op.inputs[1])], `${op.layer}/gather`, { axis: o.axis ?? 0 }));
        return;
      case 'SPLIT': {
        // TFLite's SPLIT reads its axis first; equal parts, each a Slice.
        const axis = (op.inputs[0].data as Int32Array)[0];
        const data = op.inputs[1];
        const width = data.shape[axis] / op.outputs.length;
        const axes = this.int64(`${op.layer}/split_axes`, axis);
        op.outputs.forEach((t, i) => {
          const bounds = [this.int64(`${t.name}/start`, i * width), this.int64(`${t.name}/end`, (i + 1) * width)];
          this.define(t, b.node('Slice', [this.float(data), ...bounds, axes], `${t.name}/slice`));
        });
        return;
      }
      case 'UNPACK':
        // Gather with a scalar index drops the axis, as UNPACK does.
        op.outputs.forEach((t, i) => {
          const index = b.initializer(`${t.name}/index`, [], BigInt64Array.of(BigInt(i)));
          this.define(t, b.node('Gather', [this.float(x), index], `${t.name}/unpack`, { axis: o.axis ?? 0 }));
        });
        return;
      case 'PACK': {
        const axes = this.int64(`${op.layer}/pack_axes`, o.axis ?? 0);
        const parts = op.inputs.map((t) => b.node('Unsqueeze', [this.float(t), axes], `${t.name}/unsqueezed`));
        this.define(out, b.node('Concat', parts, `${op.layer}/pack`, { axis: o.axis ?? 0 }));
        return;
      }
      case 'QUANTIZE':
      case 'DEQUANTIZE':
        // Conversions between grids (or to float): in QDQ form the float value is requantized by define.
        this.define(out, this.float(x));
        return;
      case 'BATCH_NORM':
        throw new Error(`ONNX export: internal error: BATCH_NORM of '${op.layer}' was not lowered`);
    }
  }
}

/**
 * Explicit ONNX `pads` ([top, left, bottom, right]) of a 2-D window over NHWC data: TF's SAME puts
 * the odd cell at the end, as ONNX's SAME_UPPER does; written out so no runtime has to agree.
 */
function pads(shape: readonly number[], kernel: readonly number[], strides: readonly number[], dilations: readonly number[], padding: 'SAME' | 'VALID'): number[] {
  if (padding === 'VALID') return [0, 0, 0, 0];
  const total = [0, 1].map((d) => {
    const n = shape[1 + d];
    const out = Math.ceil(n / strides[d]);
    return Math.max((out - 1) * strides[d] + (kernel[d] - 1) * dilations[d] + 1 - n, 0);
  });
  return [Math.floor(total[0] / 2), Math.floor(total[1] / 2), total[0] - Math.floor(total[0] / 2), total[1] - Math.floor(total[1] / 2)];
}
