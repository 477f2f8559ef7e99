import type * as tf from '@tensorflow/tfjs';
import { modelWeights, preActivationRangeKey, type ActivationRange, type TargetWeight } from '@collabopt/core';
import { modelGraph, type ModelGraphNode } from './modelGraph';
import { separableDepthwiseRangeKey } from '../separableDepthwiseRangeKey';
import { TfliteExportError } from '../TfliteExportError';
import { checkTfliteSupport, type ActivationName } from './checkTfliteSupport';
import { outFirst } from '../weightLayout';
import {
  GraphTensor,
  TfliteGraph,
  type FusedActivation,
  type GraphOp,
  type OpCode,
  type OpOptions,
  type PaddingMode,
  type QuantRule,
  type WeightSource,
} from '../TfliteGraph';

/**
 * Checks every layer of the model (`checkTfliteSupport`), then lowers it to a float32 TFLite
 * operator graph: kernels transposed to TFLite's layouts, BatchNormalization as a `BATCH_NORM`
 * placeholder for the folding pass, activations as separate operators for the fusion pass.
 *
 * @param batchSize the batch dimension the file's shapes are fixed to.
 */
export function lowerModel(model: tf.LayersModel, batchSize: number): TfliteGraph {
  checkTfliteSupport(model);
  const mg = modelGraph(model);
  return new Lowering(model, batchSize).run(mg.inputs, mg.nodes, mg.outputs);
}

/** TFLite's fixed output grids of the int8 LOGISTIC/SOFTMAX ([0, 1) in 256 steps) and TANH ([−1, 1) in 256 steps) kernels. */
const FIXED_OUTPUT: Record<'sigmoid' | 'softmax' | 'tanh', { code: OpCode; scale: number; zeroPoint: number }> = {
  sigmoid: { code: 'LOGISTIC', scale: 1 / 256, zeroPoint: -128 },
  softmax: { code: 'SOFTMAX', scale: 1 / 256, zeroPoint: -128 },
  tanh: { code: 'TANH', scale: 1 / 128, zeroPoint: 0 },
};

type Config = Record<string, unknown>;

function activationOf(config: Config): string {
  return typeof config['activation'] === 'string' ? (config['activation'] as string) : 'linear';
}

function pair(v: unknown, fallback: number): [number, number] {
  if (Array.isArray(v)) return [Number(v[0] ?? fallback), Number(v[1] ?? v[0] ?? fallback)];
  if (typeof v === 'number') return [v, v];
  return [fallback, fallback];
}

function single(v: unknown, fallback: number): number {
  if (Array.isArray(v)) return Number(v[0] ?? fallback);
  if (typeof v === 'number') return v;
  return fallback;
}

function sumRange(rs: readonly ActivationRange[]): ActivationRange {
  return { min: rs[0].min + rs[1].min, max: rs[0].max + rs[1].max };
}

function productRange(rs: readonly ActivationRange[]): ActivationRange {
  const c = [rs[0].min * rs[1].min, rs[0].min * rs[1].max, rs[0].max * rs[1].min, rs[0].max * rs[1].max];
  return { min: Math.min(...c), max: Math.max(...c) };
}

/**
 * Interval bound of a depthwise convolution's output over input values in `r` (zero padding
 * included, since r contains 0): per channel, the sum over taps of the extreme products.
 */
function depthwiseBound(kernel: Float32Array, channels: number, r: ActivationRange): ActivationRange {
  const lo = new Float64Array(channels);
  const hi = new Float64Array(channels);
  for (let j = 0; j < kernel.length; j++) {
    const c = j % channels;
    const a = kernel[j] * r.min;
    const b = kernel[j] * r.max;
    lo[c] += Math.min(a, b, 0);
    hi[c] += Math.max(a, b, 0);
  }
  return { min: Math.min(0, ...lo), max: Math.max(0, ...hi) };
}

function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    out.push(da === 1 ? db : da);
  }
  return out;
}

class Lowering {
  private readonly graph = new TfliteGraph();
  private readonly tensors = new Map<string, GraphTensor>();
  private readonly weights: Map<string, TargetWeight>;
  private readonly constants = new Map<string, GraphTensor>();

  constructor(
    model: tf.LayersModel,
    private readonly batchSize: number,
  ) {
    this.weights = modelWeights(model);
  }

  run(inputs: ReturnType<typeof modelGraph>['inputs'], nodes: readonly ModelGraphNode[], outputs: readonly string[]): TfliteGraph {
    for (const input of inputs) {
      const t = new GraphTensor(input.layer.name, this.shapeOf(input.symbolic), 'float32');
      t.rule = { kind: 'range', key: input.layer.name, what: `model input '${input.layer.name}'` };
      this.tensors.set(input.key, t);
      this.graph.inputs.push(t);
    }
    for (const node of nodes) {
      const ins = node.inputs.map((k) => {
        const t = this.tensors.get(k);
        if (!t) throw new Error(`lowerModel: internal error: tensor ${k} used by '${node.layer.name}' before it was made`);
        return t;
      });
      const outs = this.lower(node, ins);
      node.outputs.forEach((k, i) => this.tensors.set(k, outs[i]));
    }
    for (const k of outputs) this.graph.outputs.push(this.tensors.get(k)!);
    return this.graph;
  }

  private shapeOf(s: tf.SymbolicTensor): number[] {
    return s.shape.map((d, i) => (i === 0 ? this.batchSize : (d as number)));
  }

  private nameOf(node: ModelGraphNode, suffix = ''): string {
    const base = node.nodeIndex === 0 ? node.layer.name : `${node.layer.name}#${node.nodeIndex}`;
    return suffix ? `${base}/${suffix}` : base;
  }

  private rangeRule(node: ModelGraphNode, key = node.layer.name, what?: string): QuantRule {
    return { kind: 'range', key, what: what ?? `output of '${node.layer.name}' (${node.layer.getClassName()})` };
  }

  private op(node: ModelGraphNode, code: OpCode, inputs: GraphTensor[], outputs: GraphTensor[], options: OpOptions = {}): GraphOp {
    return this.graph.addOp({ code, inputs, outputs, options, layer: node.layer.name, className: node.layer.getClassName() });
  }

  /** Float values of a layer weight (a copy), checked for NaN/Inf. */
  private values(node: ModelGraphNode, weightName: string): Float32Array {
    const id = `${node.layer.name}/${weightName}`;
    const w = this.weights.get(id);
    if (!w) throw new Error(`lowerModel: internal error: layer '${node.layer.name}' has no weight '${weightName}'`);
    const v = Float32Array.from(w.value().dataSync() as Float32Array);
    for (let i = 0; i < v.length; i++) {
      if (!Number.isFinite(v[i])) {
        throw new TfliteExportError('numeric', `TFLite export: weight '${id}' element ${i} is ${v[i]}; only finite weights can be exported`);
      }
    }
    return v;
  }

  private hasWeight(node: ModelGraphNode, weightName: string): boolean {
    return this.weights.has(`${node.layer.name}/${weightName}`);
  }

  /** A kernel constant in TFLite layout, shared between calls of a shared layer. */
  private kernel(node: ModelGraphNode, weightName: string, layout: WeightSource['layout'], fileShape: number[]): GraphTensor {
    const id = `${node.layer.name}/${weightName}`;
    const cached = this.constants.get(id);
    if (cached) return cached;
    const w = this.weights.get(id)!;
    const kerasShape = [...w.shape];
    const outChannels = layout === 'depthwise' ? kerasShape[2] * kerasShape[3] : kerasShape[kerasShape.length - 1];
    const raw = this.values(node, weightName);
    const t = new GraphTensor(id, fileShape, 'float32', layout === 'depthwise' ? raw : outFirst(raw, outChannels));
    t.source = {
      weightId: id,
      layer: node.layer.name,
      className: node.layer.getClassName(),
      kerasShape,
      layout,
      outChannels,
      foldedScale: null,
      foldedFrom: null,
    };
    this.constants.set(id, t);
    return t;
  }

  /** The layer's bias, or zeros (TFLite's kernels, old versions especially, expect one). */
  private bias(node: ModelGraphNode, size: number, weightName = 'bias'): GraphTensor {
    const id = `${node.layer.name}/${weightName}`;
    const cached = this.constants.get(id);
    if (cached) return cached;
    const data = this.hasWeight(node, weightName) ? this.values(node, weightName) : new Float32Array(size);
    const t = new GraphTensor(id, [size], 'float32', data);
    this.constants.set(id, t);
    return t;
  }

  private int32Constant(name: string, shape: number[], values: number[]): GraphTensor {
    return new GraphTensor(name, shape, 'int32', Int32Array.from(values));
  }

  /**
   * Emits the layer's main operator through `build` (which must write the tensor it is given),
   * then its activation: ReLU/ReLU6 fused, sigmoid/tanh/softmax as a separate operator reading a
   * tensor whose range is `preActivationRangeKey(layer)` (TFLite's int8 kernels for those have
   * fixed output grids).
   */
  private activated(
    node: ModelGraphNode,
    activation: string,
    shape: number[],
    build: (out: GraphTensor, fused: FusedActivation) => void,
  ): GraphTensor {
    const act = activation as ActivationName;
    if (act === 'linear' || act === 'relu' || act === 'relu6') {
      const out = new GraphTensor(this.nameOf(node), shape, 'float32');
      out.rule = this.rangeRule(node);
      build(out, act === 'relu' ? 'RELU' : act === 'relu6' ? 'RELU6' : 'NONE');
      return out;
    }
    const pre = new GraphTensor(this.nameOf(node, 'preactivation'), shape, 'float32');
    pre.rule = this.rangeRule(node, preActivationRangeKey(node.layer.name), `value before the '${act}' activation of '${node.layer.name}' (${node.layer.getClassName()})`);
    build(pre, 'NONE');
    return this.fixedActivation(node, act, pre);
  }

  private fixedActivation(node: ModelGraphNode, act: 'sigmoid' | 'tanh' | 'softmax', input: GraphTensor): GraphTensor {
    const f = FIXED_OUTPUT[act];
    const out = new GraphTensor(this.nameOf(node), input.shape, 'float32');
    out.rule = { kind: 'fixed', scale: f.scale, zeroPoint: f.zeroPoint };
    this.op(node, f.code, [input], [out], act === 'softmax' ? { beta: 1 } : {});
    return out;
  }

  private alias(node: ModelGraphNode, input: GraphTensor): GraphTensor[] {
    if (node.nodeIndex === 0) this.graph.notes.removed.push(node.layer.name);
    return [input];
  }

  private sameAs(node: ModelGraphNode, input: GraphTensor, shape = input.shape): GraphTensor {
    const out = new GraphTensor(this.nameOf(node), shape, 'float32');
    out.rule = { kind: 'same', as: input };
    return out;
  }

  private lower(node: ModelGraphNode, ins: GraphTensor[]): GraphTensor[] {
    const layer = node.layer;
    const config = layer.getConfig() as Config;
    const x = ins[0];
    const outShape = this.shapeOf(node.symbolicOutputs[0]);
    switch (layer.getClassName()) {
      case 'Dense': {
        const units = Number(config['units']);
        const inFeatures = x.shape[x.shape.length - 1];
        const kernel = this.kernel(node, 'kernel', 'outFirst', [units, inFeatures]);
        const bias = this.bias(node, units);
        const keepNumDims = x.shape.length > 2;
        return [
          this.activated(node, activationOf(config), outShape, (out, fused) =>
            this.op(node, 'FULLY_CONNECTED', [x, kernel, bias], [out], { activation: fused, keepNumDims }),
          ),
        ];
      }
      case 'Conv2D': {
        const [kh, kw] = pair(config['kernelSize'], 1);
        const filters = Number(config['filters']);
        const kernel = this.kernel(node, 'kernel', 'outFirst', [filters, kh, kw, x.shape[3]]);
        const bias = this.bias(node, filters);
        const options = this.convOptions(config);
        return [
          this.activated(node, activationOf(config), outShape, (out, fused) =>
            this.op(node, 'CONV_2D', [x, kernel, bias], [out], { ...options, activation: fused }),
          ),
        ];
      }
      case 'DepthwiseConv2D': {
        const [kh, kw] = pair(config['kernelSize'], 1);
        const m = Number(config['depthMultiplier'] ?? 1);
        const channels = x.shape[3] * m;
        const kernel = this.kernel(node, 'depthwise_kernel', 'depthwise', [1, kh, kw, channels]);
        const bias = this.bias(node, channels);
        const options = { ...this.convOptions(config), depthMultiplier: m };
        return [
          this.activated(node, activationOf(config), outShape, (out, fused) =>
            this.op(node, 'DEPTHWISE_CONV_2D', [x, kernel, bias], [out], { ...options, activation: fused }),
          ),
        ];
      }
      case 'SeparableConv2D': {
        // TFMOT's SeparableConvQuantize transform does the same: a depthwise convolution without
        // bias, then a 1x1 convolution, with an activation range of its own in between.
        const [kh, kw] = pair(config['kernelSize'], 1);
        const m = Number(config['depthMultiplier'] ?? 1);
        const filters = Number(config['filters']);
        const channels = x.shape[3] * m;
        const dwKernel = this.kernel(node, 'depthwise_kernel', 'depthwise', [1, kh, kw, channels]);
        const dwBias = new GraphTensor(`${layer.name}/depthwise_bias`, [channels], 'float32', new Float32Array(channels));
        const mid = new GraphTensor(this.nameOf(node, 'depthwise'), [...outShape.slice(0, 3), channels], 'float32');
        const key = separableDepthwiseRangeKey(layer.name);
        mid.rule = {
          ...(this.rangeRule(node, key, `depthwise half of '${layer.name}' (SeparableConv2D)`) as { kind: 'range'; key: string; what: string }),
          fallback: {
            from: [x],
            derive: ([r]) => depthwiseBound(dwKernel.data as Float32Array, channels, r),
            note: `range '${key}' not in the state: bounded from the input range and the depthwise kernel (record it, e.g. with observeActivationRanges, for a finer grid)`,
          },
        };
        this.op(node, 'DEPTHWISE_CONV_2D', [x, dwKernel, dwBias], [mid], {
          ...this.convOptions(config),
          depthMultiplier: m,
          activation: 'NONE',
        });
        const pwKernel = this.kernel(node, 'pointwise_kernel', 'outFirst', [filters, 1, 1, channels]);
        const bias = this.bias(node, filters);
        return [
          this.activated(node, activationOf(config), outShape, (out, fused) =>
            this.op(node, 'CONV_2D', [mid, pwKernel, bias], [out], {
              padding: 'VALID',
              strideW: 1,
              strideH: 1,
              dilationW: 1,
              dilationH: 1,
              activation: fused,
            }),
          ),
        ];
      }
      case 'Conv1D': {
        // TFLite has no 1-D convolution; the TF converter writes [b, 1, steps, ch] convolutions
        // between two reshapes, and so do we.
        const k = single(config['kernelSize'], 1);
        const stride = single(config['strides'], 1);
        const dilation = single(config['dilationRate'], 1);
        const filters = Number(config['filters']);
        const [b, steps, ch] = x.shape;
        const expanded = new GraphTensor(this.nameOf(node, 'expanded'), [b, 1, steps, ch], 'float32');
        expanded.rule = { kind: 'same', as: x };
        this.op(node, 'RESHAPE', [x, this.int32Constant(`${layer.name}/expanded_shape`, [4], expanded.shape)], [expanded], {
          newShape: expanded.shape,
        });
        const kernel = this.kernel(node, 'kernel', 'outFirst', [filters, 1, k, ch]);
        const bias = this.bias(node, filters);
        const conv4dShape = [outShape[0], 1, outShape[1], outShape[2]];
        const padding: PaddingMode = config['padding'] === 'same' ? 'SAME' : 'VALID';
        return [
          this.activated(node, activationOf(config), outShape, (out, fused) => {
            const conv = new GraphTensor(`${out.name}/conv`, conv4dShape, 'float32');
            // The 4-D result carries the range; the squeezed tensor shares it (RESHAPE rule).
            conv.rule = out.rule;
            out.rule = { kind: 'same', as: conv };
            this.op(node, 'CONV_2D', [expanded, kernel, bias], [conv], {
              padding,
              strideW: stride,
              strideH: 1,
              dilationW: dilation,
              dilationH: 1,
              activation: fused,
            });
            this.op(node, 'RESHAPE', [conv, this.int32Constant(`${out.name}/shape`, [out.shape.length], out.shape)], [out], {
              newShape: out.shape,
            });
          }),
        ];
      }
      case 'BatchNormalization': {
        const channels = x.shape[x.shape.length - 1];
        const epsilon = Number(config['epsilon'] ?? 1e-3);
        const gamma = this.hasWeight(node, 'gamma') ? this.values(node, 'gamma') : new Float32Array(channels).fill(1);
        const beta = this.hasWeight(node, 'beta') ? this.values(node, 'beta') : new Float32Array(channels);
        const mean = this.values(node, 'moving_mean');
        const variance = this.values(node, 'moving_variance');
        const multiplier = new Float64Array(channels);
        const offset = new Float64Array(channels);
        for (let c = 0; c < channels; c++) {
          multiplier[c] = gamma[c] / Math.sqrt(variance[c] + epsilon);
          offset[c] = beta[c] - mean[c] * multiplier[c];
          if (!Number.isFinite(multiplier[c]) || !Number.isFinite(offset[c])) {
            throw new TfliteExportError(
              'numeric',
              `TFLite export: BatchNormalization '${layer.name}' channel ${c} has gamma ${gamma[c]}, variance ${variance[c]}, ` +
                `epsilon ${epsilon}: its multiplier gamma / sqrt(variance + epsilon) is not finite`,
            );
          }
        }
        const out = new GraphTensor(this.nameOf(node), outShape, 'float32');
        out.rule = this.rangeRule(node);
        this.op(node, 'BATCH_NORM', [x], [out], { multiplier, offset });
        return [out];
      }
      case 'ReLU': {
        const out = new GraphTensor(this.nameOf(node), outShape, 'float32');
        out.rule = this.rangeRule(node);
        this.op(node, config['maxValue'] === 6 ? 'RELU6' : 'RELU', [x], [out]);
        return [out];
      }
      case 'Activation': {
        const act = activationOf(config) as ActivationName;
        if (act === 'linear') return this.alias(node, x);
        if (act === 'relu' || act === 'relu6') {
          const out = new GraphTensor(this.nameOf(node), outShape, 'float32');
          out.rule = this.rangeRule(node);
          this.op(node, act === 'relu' ? 'RELU' : 'RELU6', [x], [out]);
          return [out];
        }
        return [this.fixedActivation(node, act, x)];
      }
      case 'Softmax':
        return [this.fixedActivation(node, 'softmax', x)];
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const [ph, pw] = pair(config['poolSize'], 2);
        const [sh, sw] = pair(config['strides'] ?? config['poolSize'], 2);
        // TFLite's int8 pooling kernels use the input's scale and zero point for the output; an
        // average's own range (QAT quantizes it) is applied by a requantize when recorded.
        const out = this.sameAs(node, x, outShape);
        if (layer.getClassName() === 'AveragePooling2D') out.rule = { kind: 'same', as: x, ownKey: layer.name };
        this.op(node, layer.getClassName() === 'MaxPooling2D' ? 'MAX_POOL_2D' : 'AVERAGE_POOL_2D', [x], [out], {
          padding: config['padding'] === 'same' ? 'SAME' : 'VALID',
          strideW: sw,
          strideH: sh,
          filterW: pw,
          filterH: ph,
          activation: 'NONE',
        });
        return [out];
      }
      case 'GlobalAveragePooling2D': {
        const out = new GraphTensor(this.nameOf(node), outShape, 'float32');
        out.rule = this.rangeRule(node);
        this.op(node, 'MEAN', [x, this.int32Constant(`${layer.name}/axes`, [2], [1, 2])], [out], { keepDims: false });
        return [out];
      }
      case 'GlobalMaxPooling2D': {
        const out = this.sameAs(node, x, outShape);
        this.op(node, 'REDUCE_MAX', [x, this.int32Constant(`${layer.name}/axes`, [2], [1, 2])], [out], { keepDims: false });
        return [out];
      }
      case 'Flatten':
      case 'Reshape': {
        if (outShape.length === x.shape.length && outShape.every((d, i) => d === x.shape[i])) return this.alias(node, x);
        const out = this.sameAs(node, x, outShape);
        this.op(node, 'RESHAPE', [x, this.int32Constant(`${this.nameOf(node)}/shape`, [outShape.length], outShape)], [out], {
          newShape: outShape,
        });
        return [out];
      }
      case 'Dropout':
        return this.alias(node, x);
      case 'ZeroPadding2D': {
        const [[top, bottom], [left, right]] = config['padding'] as [[number, number], [number, number]];
        const paddings = this.int32Constant(`${layer.name}/paddings`, [4, 2], [0, 0, top, bottom, left, right, 0, 0]);
        // PAD fills with the zero point, i.e. real 0, so input and output share quantization.
        const out = this.sameAs(node, x, outShape);
        this.op(node, 'PAD', [x, paddings], [out]);
        return [out];
      }
      case 'Add':
      case 'Multiply': {
        const code: OpCode = layer.getClassName() === 'Add' ? 'ADD' : 'MUL';
        let acc = ins[0];
        for (let i = 1; i < ins.length; i++) {
          const last = i === ins.length - 1;
          let out: GraphTensor;
          if (last) {
            out = new GraphTensor(this.nameOf(node), outShape, 'float32');
            out.rule = this.rangeRule(node);
          } else {
            // Partial results of a many-input Add/Multiply are no layer's output: bound their
            // range by interval arithmetic on the inputs' ranges.
            out = new GraphTensor(this.nameOf(node, `partial${i}`), broadcastShape(acc.shape, ins[i].shape), 'float32');
            out.rule = { kind: 'derived', from: [acc, ins[i]], derive: code === 'ADD' ? sumRange : productRange };
          }
          this.op(node, code, [acc, ins[i]], [out], { activation: 'NONE' });
          acc = out;
        }
        return [acc];
      }
      case 'Concatenate': {
        const rank = outShape.length;
        const axis = Number(config['axis'] ?? -1);
        const out = new GraphTensor(this.nameOf(node), outShape, 'float32');
        out.rule = this.rangeRule(node);
        this.op(node, 'CONCATENATION', [...ins], [out], { axis: axis < 0 ? axis + rank : axis, activation: 'NONE' });
        return [out];
      }
      default:
        throw new Error(`lowerModel: internal error: no lowering for ${layer.getClassName()} although it passed the support check`);
    }
  }

  private convOptions(config: Config): OpOptions {
    const [sh, sw] = pair(config['strides'], 1);
    const [dh, dw] = pair(config['dilationRate'], 1);
    return {
      padding: config['padding'] === 'same' ? 'SAME' : 'VALID',
      strideW: sw,
      strideH: sh,
      dilationW: dw,
      dilationH: dh,
    };
  }
}
