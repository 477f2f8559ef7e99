import * as tf from '@tensorflow/tfjs';
import { preActivationRangeKey, type ActivationRange, type OptimizationState } from '@collabopt/core';
import { modelGraph } from '@collabopt/core';
import { isFixedRangeActivation } from '../../common/fixedRangeActivations';
import { isSeparateActivation } from '../../common/separateActivations';
import { CHAINED_MERGES } from '../../common/CHAINED_MERGES';
import { mergePartialRangeKey } from '../../common/mergePartialRangeKey';
import { separableDepthwiseRangeKey } from '../../common/separableDepthwiseRangeKey';
import { recurrentRangeKeys } from '../../common/recurrentRangeKeys';
import { simpleRnnForward } from '../../quantization/simpleRnnForward';

/**
 * Options of {@link observeActivationRanges}.
 * @group Export: TFLite
 */
export interface ObserveActivationRangesOptions {
  /** Samples per forward pass. Default 32. */
  readonly batchSize?: number;
  /** Also store the ranges in `state.activationRanges` (replacing entries with the same key). */
  readonly state?: OptimizationState;
}

interface LayerWithActivation {
  activation?: { getClassName(): string };
}

/**
 * Post-training calibration without the quantize plugin: runs the model on `xs` and records the
 * float range of every activation the int8 TFLite exporter needs, under the keys of the int8
 * contract (see the README):
 *
 * - each model input, under its input layer's name;
 * - each layer's output, under the layer's name (over all its calls, for a shared layer);
 * - the value before a sigmoid/tanh/softmax/hardSigmoid or an elu/gelu/swish (a separate
 *   operator in the file) of a Dense/Conv layer, under
 *   `preActivationRangeKey(layer)`;
 * - the depthwise half of a SeparableConv2D, under `separableDepthwiseRangeKey(layer)`;
 * - inside a SimpleRNN (over all steps), its input projection, recurrent product and sum before
 *   the activation, under `recurrentRangeKeys(layer)`.
 * - the partial results of an Add, Multiply or Average of three or more inputs, under
 *   `mergePartialRangeKey(layer, i)`.
 *
 * Ranges are the min and max over all samples, widened to contain 0 (TFMOT's
 * `AllValuesQuantizer`, the calibration TFLite's converter does). The model runs as it is: with a
 * session's forward hooks installed it runs through them.
 *
 * @param xs samples (one tensor, or one per model input), batch first.
 * @returns the ranges by key; also written into `options.state` when given.
 * @throws Error for empty or mismatched inputs.
 * @group Export: TFLite
 */
export async function observeActivationRanges(
  model: tf.LayersModel,
  xs: tf.Tensor | readonly tf.Tensor[],
  options: ObserveActivationRangesOptions = {},
): Promise<Map<string, ActivationRange>> {
  const inputs = Array.isArray(xs) ? [...xs] : [xs as tf.Tensor];
  const graph = modelGraph(model);
  if (inputs.length !== graph.inputs.length) {
    throw new Error(`observeActivationRanges: model '${model.name}' has ${graph.inputs.length} input(s), got ${inputs.length} tensor(s)`);
  }
  const n = inputs[0].shape[0] ?? 0;
  if (n === 0 || inputs.some((x) => x.shape[0] !== n)) {
    throw new Error(`observeActivationRanges: needs at least one sample, the same number for every input (got batch sizes ${inputs.map((x) => x.shape[0]).join(', ')})`);
  }
  const batchSize = options.batchSize ?? 32;
  const ranges = new Map<string, ActivationRange>();
  const fold = (key: string, t: tf.Tensor) => {
    const [lo, hi] = tf.tidy(() => [tf.min(t).dataSync()[0], tf.max(t).dataSync()[0]]);
    const old = ranges.get(key);
    ranges.set(key, { min: Math.min(lo, 0, old?.min ?? 0), max: Math.max(hi, 0, old?.max ?? 0) });
  };
  graph.inputs.forEach((input, i) => fold(input.layer.name, inputs[i]));

  // One pass: every layer's output, plus the inputs of the layers whose inner values are needed.
  const probes: { key: string; symbolic: tf.SymbolicTensor }[] = [];
  const separable: { layer: tf.layers.Layer; input: tf.SymbolicTensor; modelInput: number }[] = [];
  const preActivation: { layer: tf.layers.Layer; input: tf.SymbolicTensor; modelInput: number }[] = [];
  const recurrent: { layer: tf.layers.Layer; input: tf.SymbolicTensor; modelInput: number }[] = [];
  const merges: { layer: tf.layers.Layer; inputs: readonly tf.SymbolicTensor[] }[] = [];
  for (const node of graph.nodes) {
    if (CHAINED_MERGES[node.layer.getClassName()] && node.symbolicInputs.length >= 3) merges.push({ layer: node.layer, inputs: node.symbolicInputs });
    for (const s of node.symbolicOutputs) probes.push({ key: node.layer.name, symbolic: s });
    const cls = node.layer.getClassName();
    if (cls === 'SeparableConv2D') {
      const input = node.symbolicInputs[0];
      separable.push({ layer: node.layer, input, modelInput: graph.inputs.findIndex((i) => i.symbolic === input) });
    }
    if (cls === 'SimpleRNN') {
      const input = node.symbolicInputs[0];
      recurrent.push({ layer: node.layer, input, modelInput: graph.inputs.findIndex((i) => i.symbolic === input) });
    }
    const act = (node.layer as unknown as LayerWithActivation).activation?.getClassName();
    if ((isFixedRangeActivation(act) || isSeparateActivation(act)) && cls !== 'Activation') {
      const input = node.symbolicInputs[0];
      preActivation.push({ layer: node.layer, input, modelInput: graph.inputs.findIndex((i) => i.symbolic === input) });
    }
  }
  // tfjs refuses a model listing one tensor twice: probe each symbolic tensor once.
  const unique: tf.SymbolicTensor[] = [];
  const slot = (s: tf.SymbolicTensor) => {
    let i = unique.indexOf(s);
    if (i < 0) i = unique.push(s) - 1;
    return i;
  };
  const probeSlots = probes.map((p) => slot(p.symbolic));
  const separableSlots = separable.map((s) => (s.modelInput >= 0 ? -1 : slot(s.input)));
  const preActivationSlots = preActivation.map((p) => (p.modelInput >= 0 ? -1 : slot(p.input)));
  const recurrentSlots = recurrent.map((r) => (r.modelInput >= 0 ? -1 : slot(r.input)));
  const modelInputOf = (s: tf.SymbolicTensor) => graph.inputs.findIndex((i) => i.symbolic === s);
  const mergeSlots = merges.map((a) => a.inputs.map((s) => (modelInputOf(s) >= 0 ? -1 : slot(s))));
  const linear = (tf.layers.activation({ activation: 'linear' }) as unknown as Required<LayerWithActivation>).activation;
  const probe = tf.model({ inputs: graph.inputs.map((i) => i.symbolic), outputs: unique });

  const batches = (fn: (batch: tf.Tensor[]) => void) => {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      const batch = inputs.map((x) => tf.slice(x, start, size));
      try {
        fn(batch);
      } finally {
        tf.dispose(batch);
      }
    }
  };

  batches((batch) => {
    const outs = asArray(probe.predict(batch));
    try {
      probes.forEach((p, i) => fold(p.key, outs[probeSlots[i]]));
      separable.forEach((s, i) => {
        const x = s.modelInput >= 0 ? batch[s.modelInput] : outs[separableSlots[i]];
        const mid = depthwiseHalf(s.layer, x);
        fold(separableDepthwiseRangeKey(s.layer.name), mid);
        mid.dispose();
      });
      recurrent.forEach((r, i) => {
        const keys = recurrentRangeKeys(r.layer.name);
        const observe = (key: string) => (v: tf.Tensor) => (fold(key, v), v);
        const out = simpleRnnForward(r.layer, r.modelInput >= 0 ? batch[r.modelInput] : outs[recurrentSlots[i]], {
          projection: observe(keys.projection),
          recurrent: observe(keys.recurrent),
          preActivation: observe(keys.preActivation),
          state: (h) => h,
        });
        tf.dispose(out);
      });
      merges.forEach((a, k) => {
        const values = a.inputs.map((s, j) => (mergeSlots[k][j] < 0 ? batch[modelInputOf(s)] : outs[mergeSlots[k][j]]));
        tf.tidy(() => {
          let acc = values[0];
          for (let i = 1; i < values.length - 1; i++) {
            acc = CHAINED_MERGES[a.layer.getClassName()]!.combine(acc, values[i]);
            fold(mergePartialRangeKey(a.layer.name, i), acc);
          }
        });
      });
      // The value before a fixed-range or separate activation: the layer applied to its recorded input with
      // its activation swapped for linear, one layer at a time so no other layer sees the change.
      preActivation.forEach((p, i) => {
        const x = p.modelInput >= 0 ? batch[p.modelInput] : outs[preActivationSlots[i]];
        const holder = p.layer as unknown as LayerWithActivation;
        const saved = holder.activation;
        holder.activation = linear;
        let pre: tf.Tensor;
        try {
          pre = p.layer.apply(x) as tf.Tensor;
        } finally {
          holder.activation = saved;
        }
        fold(preActivationRangeKey(p.layer.name), pre);
        pre.dispose();
      });
    } finally {
      tf.dispose(outs);
    }
  });

  if (options.state) for (const [k, r] of ranges) options.state.activationRanges.set(k, r);
  return ranges;
}

function asArray(x: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
  return Array.isArray(x) ? x : [x];
}

/** The depthwise half of a SeparableConv2D on `x` (what TFLite's DEPTHWISE_CONV_2D computes). */
function depthwiseHalf(layer: tf.layers.Layer, x: tf.Tensor): tf.Tensor {
  const config = layer.getConfig() as { strides: [number, number]; padding: 'valid' | 'same'; dilationRate: [number, number] };
  const kernel = layer.weights.find((w) => w.originalName.endsWith('depthwise_kernel'))!.read();
  return tf.tidy(() => tf.depthwiseConv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, config.strides, config.padding, 'NHWC', config.dilationRate));
}
