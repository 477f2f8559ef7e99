import * as tf from '@tensorflow/tfjs';
import type { ClustersData, Int8GridData, OptimizationState } from '@collabopt/core';
import { roundHalfAwayFromZero } from '../../../quantization/roundHalfAwayFromZero';
import { symmetricWeightScales } from '../../../quantization/symmetricWeightScales';
import { fileChannelAxis, fileChannelPosition, kerasIndexOf, kerasPosition } from '../weightLayout';
import { TfliteExportError } from '../../../errors/TfliteExportError';
import type { GraphTensor } from '../TfliteGraph';

/** A kernel quantized to int8 for the file. */
export interface QuantizedKernel {
  /** Levels in the file's element order. */
  readonly q: Int8Array;
  /** One scale per output channel (`perChannel`), or one (`perTensor`); zero points are 0. */
  readonly scales: Float32Array;
  /** Quantized dimension in the file: 0 for `[out, ...]` kernels, 3 for depthwise `[1, h, w, C]`. */
  readonly axis: number;
  /** True when the scales came from the state's `int8-grid` record. */
  readonly fromGrid: boolean;
  /** Why a grid the state has could not be kept, if so. */
  readonly note: string | null;
}

/**
 * What the file stores: `perChannel` (CONV_2D / DEPTHWISE_CONV_2D, and FULLY_CONNECTED with
 * `denseWeights: 'per-channel'`: one scale per output channel) or `perTensor` (FULLY_CONNECTED by
 * default: TFLite 2.9's int8 FULLY_CONNECTED needs per-tensor weights).
 */
export type KernelTarget = 'perChannel' | 'perTensor';

/**
 * Quantizes a kernel constant (float32, the file's layout, BatchNorm possibly folded in) to
 * symmetric narrow-range int8 with zero point 0, honouring what `state` claims for its weight.
 *
 * With an `int8-grid` record the state's scales are used exactly (per output channel, multiplied
 * by `|m_c|` when a BatchNorm was folded into channel c) and every `w / scale` must be an integer
 * in range, else a {@link TfliteExportError} (`weight-grid`) names the weight, the element and
 * the scale: the file then holds the very levels the model was trained with. A per-channel grid
 * cannot be written for a per-tensor target (error), and a BatchNorm folded into a per-tensor
 * kernel breaks any grid (each channel is scaled differently): then, as without a grid, scales are
 * computed from the values with `symmetricWeightScales` (max|w| / 127 per channel or per tensor),
 * so an export without QAT computes exactly what `fakeQuantWeightsSymmetric` would have.
 *
 * Porting note: without a grid, a conv/depthwise kernel whose `clusters` claim is per tensor gets
 * one scale for all its channels (written per channel). Per-channel scales would round the k
 * shared values differently in every channel and multiply the distinct values in the file (the
 * symptom of TFMOT issue #1056); one scale keeps k values as at most k int8 levels.
 */
export function quantizeKernel(t: GraphTensor, target: KernelTarget, state?: OptimizationState): QuantizedKernel {
  const source = t.source;
  if (!source || !(t.data instanceof Float32Array)) {
    throw new Error(`quantizeKernel: internal error: '${t.name}' is not a float kernel from a model weight`);
  }
  const data = t.data;
  const channels = source.outChannels;
  const axis = fileChannelAxis(source, t.shape.length);
  const perChannel = target === 'perChannel';
  let note: string | null = null;

  let grid = state?.get<Int8GridData>(source.weightId, 'int8-grid')?.data;
  const clusters = state?.get<ClustersData>(source.weightId, 'clusters')?.data;
  const shareScale = clusters !== undefined && clusters.channels === null && source.foldedScale === null;
  if (grid && source.foldedScale && !perChannel) {
    note = `int8-grid not kept: BatchNormalization '${source.foldedFrom}' was folded into this per-tensor kernel, scaling each channel differently`;
    grid = undefined;
  }

  let scales: Float32Array;
  let qmax = 127;
  if (grid) {
    qmax = 2 ** (grid.bits - 1) - 1;
    const recordChannels = grid.channels;
    if (recordChannels !== null && channels % recordChannels !== 0) {
      throw new TfliteExportError(
        'weight-grid',
        `TFLite export: the int8-grid of '${source.weightId}' has ${recordChannels} channel groups, which do not divide its ${channels} output channels; ` +
          `TFLite stores one scale per output channel`,
      );
    }
    const perOut = new Float32Array(channels);
    for (let c = 0; c < channels; c++) perOut[c] = grid.scales[recordChannels === null ? 0 : c % recordChannels];
    if (!perChannel) {
      if (perOut.some((s) => s !== perOut[0])) {
        throw new TfliteExportError(
          'weight-grid',
          `TFLite export: '${source.weightId}' (${source.className}) has a per-channel int8-grid, but TFLite FULLY_CONNECTED int8 weights are per tensor ` +
            `(per-channel int8 FULLY_CONNECTED computes wrong results in the TFLite 2.9 runtime tfjs-tflite-node ships, and TFMOT quantizes Dense per tensor); ` +
            `quantize Dense kernels per tensor, or export with denseWeights: 'per-channel' (int8 mode) for LiteRT / current TFLite`,
        );
      }
      scales = perOut.subarray(0, 1).slice();
    } else if (source.foldedScale) {
      const m = source.foldedScale;
      scales = perOut.map((s, c) => (m[c] === 0 ? s : Math.fround(s * Math.abs(m[c]))));
    } else {
      scales = perOut;
    }
  } else {
    const granularity = perChannel && !shareScale ? { kind: 'perAxis' as const, axis } : { kind: 'perTensor' as const };
    const computed = tf.tidy(() => symmetricWeightScales(tf.tensor(data, t.shape, 'float32'), { granularity }));
    const values = Float32Array.from(computed.dataSync());
    computed.dispose();
    scales = perChannel && values.length === 1 ? new Float32Array(channels).fill(values[0]) : values;
  }

  const q = new Int8Array(data.length);
  const offGrid = (j: number, s: number, v: number) => {
    const k = kerasIndexOf(source, j);
    return new TfliteExportError(
      'weight-grid',
      `TFLite export: '${source.weightId}'${kerasPosition(source, k)} = ${data[j]} is not on the int8-grid the state claims ` +
        `(scale ${s}${source.foldedScale ? ` after folding '${source.foldedFrom}'` : ''}: value/scale = ${v.toFixed(4)}, |q| ≤ ${qmax}); ` +
        `the weights changed after the quantize stage, or the state belongs to another model`,
    );
  };
  // One pass per channel: the output channel is the leading block ([out, ...]) or j % C (depthwise).
  const per = data.length / channels;
  const checked = grid !== undefined;
  for (let c = 0; c < channels; c++) {
    const s = perChannel ? scales[c] : scales[0];
    const last = fileChannelPosition(source) === 'last';
    const first = last ? c : c * per;
    const step = last ? channels : 1;
    for (let i = 0, j = first; i < per; i++, j += step) {
      // Same arithmetic as symmetricWeightLevels: float32 division, ties away from zero, clamp.
      const v = Math.fround(data[j] / s);
      const r = roundHalfAwayFromZero(v);
      if (checked) {
        if (Math.abs(v - r) > 1e-3 + 1e-5 * Math.abs(v) || Math.abs(r) > qmax) throw offGrid(j, s, v);
        q[j] = r;
      } else q[j] = r > qmax ? qmax : r < -qmax ? -qmax : r;
    }
  }
  return { q, scales, axis, fromGrid: grid !== undefined, note };
}
