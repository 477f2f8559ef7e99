/**
 * The int8 fidelity measure (DESIGN.md §11): how far an int8 TFLite file's outputs are from the
 * session's fake-quant model, in output quantization steps read from the file itself, max over
 * elements, in one or more TFLite runtimes (LiteRT is the reference where they differ). Used by
 * the fidelity tests and bench/int8-fidelity.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { collab, definePlugin, preActivationRangeKey, Stage, type OptimizationState } from '@collabopt/core';
import { exportTflite } from '../../plugins/src/export/tflite/exportTflite';
import { readTflite } from '../../plugins/src/export/tflite/read/readTflite';
import { quantize } from '../../plugins/src/quantization/QuantizePlugin';
import { runTfliteRows, type TfliteRuntime } from '../../recipes/src/runner/TfliteRuntime';
import { inputsFor } from '../plugins/export/tflite/fixtures';

/** How the model got its quantization ranges. */
export type FidelityScenario = 'ptq' | 'qat';

/** One measurement. */
export interface FidelityResult {
  /** Max over samples and elements of |int8 file − fake-quant| / output step, in the first runtime measured. */
  readonly maxSteps: number;
  /** `maxSteps` in each TFLite runtime measured (absent for other formats, see {@link Int8Measure}). */
  readonly byRuntime?: Partial<Record<TfliteRuntime, number>>;
  /** The output step (scale) of each model output, read from the file. */
  readonly outputSteps: readonly number[];
  /**
   * For a model whose last layer is a Dense with a softmax: the same measure split at the
   * softmax (see {@link SoftmaxHeadFidelity}); absent for other models.
   */
  readonly softmaxHead?: SoftmaxHeadFidelity;
}

/**
 * A softmax head's difference taken apart: the logits, and the softmax on the file's own logits.
 * A one-step logit difference moves a softmax output by up to `logit step · 256 · p(1 − p)`
 * output steps (p = 1/2: 64 · logit step), so the head's `maxSteps` alone cannot say where the
 * difference comes from.
 */
export interface SoftmaxHeadFidelity {
  /** Max |file logits − fake-quant logits| in logit steps (the file's: the same model, exported with a linear head on the same grid). */
  readonly logitSteps: number;
  /** The logit step (scale of the FULLY_CONNECTED output), read from the file. */
  readonly logitStep: number;
  /** Max |file softmax − softmax of the file's logits, rounded onto TFLite's 1/256 grid| in output steps. */
  readonly softmaxSteps: number;
}

/**
 * Runs an int8 (or any) TFLite file on each row of `xs` in `runtime` and returns its outputs,
 * per row, per model output. The one place the harness runs a file.
 */
export async function runInt8File(bytes: Uint8Array, xs: tf.Tensor, runtime: TfliteRuntime = 'tflite-2.9'): Promise<Float32Array[][]> {
  const n = xs.shape[0]!;
  const { values } = await runTfliteRows(runtime, bytes, [xs.dataSync() as Float32Array], n);
  return Array.from({ length: n }, (_, i) =>
    values.map((flat) => {
      const per = flat.length / n;
      return Float32Array.from(flat.subarray(i * per, (i + 1) * per));
    }),
  );
}

/**
 * The scale of each model output's int8 tensor: the output itself when it is int8, else the
 * input of the DEQUANTIZE that produces it (float inputs and outputs).
 */
export function outputStepsOf(bytes: Uint8Array): number[] {
  const file = readTflite(bytes);
  return file.outputs.map((index) => {
    let tensor = file.tensors[index]!;
    if (tensor.type !== 'int8') {
      const producer = file.operators.find((op) => op.outputs.includes(index));
      if (producer?.opcode !== 'DEQUANTIZE') throw new Error(`output ${tensor.name} is ${tensor.type} and not made by a DEQUANTIZE`);
      tensor = file.tensors[producer.inputs[0]!]!;
    }
    const scales = tensor.quantization?.scales;
    if (!scales || scales.length !== 1) throw new Error(`output ${tensor.name} has no per-tensor quantization`);
    return scales[0]!;
  });
}

/**
 * Runs `bytes` on each row of `xs` in each of `runtimes` and returns the largest |file − reference|
 * in output steps. `reference[i]` is the fake-quant model's output on row `i` (single-output models).
 */
export async function maxOutputSteps(bytes: Uint8Array, xs: tf.Tensor, reference: readonly Float32Array[], runtimes: readonly TfliteRuntime[] = ['tflite-2.9']): Promise<FidelityResult> {
  return (await measureFile(bytes, xs, reference, runtimes)).result;
}

/** {@link maxOutputSteps}, also returning the first runtime's first-output rows (run once, reused by the softmax-head split). */
async function measureFile(
  bytes: Uint8Array,
  xs: tf.Tensor,
  reference: readonly Float32Array[],
  runtimes: readonly TfliteRuntime[],
): Promise<{ result: FidelityResult; rows: Float32Array[] }> {
  if (runtimes.length === 0) throw new Error('maxOutputSteps: no runtime to measure in');
  const steps = outputStepsOf(bytes);
  const byRuntime: Partial<Record<TfliteRuntime, number>> = {};
  let first: Float32Array[] = [];
  for (const runtime of runtimes) {
    const rows = (await runInt8File(bytes, xs, runtime)).map((o) => o[0]!);
    if (runtime === runtimes[0]) first = rows;
    byRuntime[runtime] = maxStepsBetween(rows, reference, steps[0]!);
  }
  return { result: { maxSteps: byRuntime[runtimes[0]!]!, byRuntime, outputSteps: steps }, rows: first };
}

/** Max over rows and elements of |a − b| / step. */
function maxStepsBetween(a: readonly Float32Array[], b: readonly Float32Array[], step: number): number {
  let max = 0;
  a.forEach((row, i) => {
    if (row.length !== b[i]!.length) throw new Error(`row ${i}: the file gives ${row.length} values, the reference ${b[i]!.length}`);
    for (let j = 0; j < row.length; j++) max = Math.max(max, Math.abs(row[j]! - b[i]![j]!) / step);
  });
  return max;
}

/** TFLite int8 softmax grid: real = (q + 128) / 256, q in [−128, 127]. */
function roundedSoftmax(logits: Float32Array): Float32Array {
  const m = Math.max(...logits);
  const e = Array.from(logits, (v) => Math.exp(v - m));
  const z = e.reduce((a, b) => a + b, 0);
  return Float32Array.from(e, (v) => Math.min(255, Math.floor((v / z) * 256 + 0.5)) / 256);
}

/**
 * A plugin that records the head's fake-quantized logits in inference forward passes: it taps
 * `preActivation` after the quantize plugin (Stage.OBSERVE), so it sees what the softmax reads.
 */
const recordLogits = definePlugin<{ layer: string }>({
  name: 'test-record-logits',
  optionsSchema: { type: 'object', properties: { layer: { type: 'string' } }, required: ['layer'], additionalProperties: false },
  invariants: { establishes: [], preserves: [], requires: [] },
  create: ({ layer }) => ({
    apply(session) {
      session.hooks.preActivation.for(layer).tap({ name: 'test-record-logits', stage: Stage.OBSERVE }, (value, ctx) => {
        if (!ctx.training && !ctx.calibrating) recorded.push(value.dataSync() as Float32Array);
        return value;
      });
    },
  }),
});
const recorded: Float32Array[] = [];

/** The model's last layer when it is a Dense with a softmax, else null. */
function softmaxDense(model: tf.LayersModel): tf.layers.Layer | null {
  const last = model.layers[model.layers.length - 1]!;
  const activation = (last as unknown as { activation?: { getClassName(): string } }).activation;
  return last.getClassName() === 'Dense' && activation?.getClassName() === 'softmax' ? last : null;
}

/**
 * Exports the quantized model in another int8 format and measures it against the fake-quant
 * outputs (`reference[i]` for row `i` of `xs`), in place of the TFLite file (ONNX's tests).
 */
export type Int8Measure = (model: tf.LayersModel, state: OptimizationState, xs: tf.Tensor, reference: readonly Float32Array[]) => Promise<FidelityResult>;

/**
 * Quantizes `model` (PTQ: calibration only; QAT: a short fine-tune on random targets), records
 * the fake-quant model's outputs while the session runs, exports int8 and measures the file
 * against them in each of `options.runtimes` (default TFLite 2.9 only; the first is `maxSteps`
 * and measures the softmax-head split). The model's weights change under QAT; build a fresh
 * model per call.
 */
export async function measureInt8Fidelity(
  model: tf.LayersModel,
  scenario: FidelityScenario,
  options: { samples?: number; seed?: number; runtimes?: readonly TfliteRuntime[]; measure?: Int8Measure } = {},
): Promise<FidelityResult> {
  const runtimes = options.runtimes ?? ['tflite-2.9'];
  const samples = options.samples ?? 32;
  const seed = options.seed ?? 1;
  const [calibration] = inputsFor(model, 64, 3 + seed);
  const [xs] = inputsFor(model, samples, 11 + seed);
  const quiet = { onWarning: () => {} };
  const head = softmaxDense(model);
  const plugins = [quantize({ mode: scenario }), ...(head ? [recordLogits({ layer: head.name })] : [])];
  let session;
  if (scenario === 'ptq') {
    session = collab(model, plugins, { train: false, ...quiet });
    await session.calibrate(calibration!);
  } else {
    const outShape = model.outputs[0]!.shape.slice(1) as number[];
    const ys = tf.tidy(() => tf.randomUniform([64, ...outShape], 0, 1, 'float32', seed));
    model.compile({ optimizer: tf.train.adam(0.003), loss: 'meanSquaredError' });
    session = collab(model, plugins, quiet);
    // No shuffling: fit() shuffles with Math.random, and a measurement must repeat exactly.
    await model.fit(calibration!, ys, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0, callbacks: [session.callback()] });
    ys.dispose();
  }
  // While the session runs, predict() is the emulated int8 model.
  recorded.length = 0;
  const reference = tf.tidy(() => {
    const out = model.predict(xs!) as tf.Tensor;
    const flat = out.dataSync() as Float32Array;
    const per = out.size / samples;
    return Array.from({ length: samples }, (_, i) => flat.slice(i * per, (i + 1) * per));
  });
  const logits = splitRows(recorded.splice(0), samples);
  const { state } = await session.finish();
  try {
    if (options.measure) return await options.measure(model, state, xs!, reference);
    const { bytes } = await exportTflite(model, { mode: 'int8' }, state);
    const { result, rows: fileSoftmax } = await measureFile(bytes, xs!, reference, runtimes);
    if (!head) return result;
    // The file's logits: the same model and state with the head's softmax left out (its range is the one before the softmax).
    const holder = head as unknown as { activation: unknown };
    const softmax = holder.activation;
    holder.activation = (tf.layers.dense({ units: 1, activation: 'linear' }) as unknown as { activation: unknown }).activation;
    let logitBytes: Uint8Array;
    try {
      state.activationRanges.set(head.name, state.activationRanges.get(preActivationRangeKey(head.name))!);
      logitBytes = (await exportTflite(model, { mode: 'int8' }, state)).bytes;
    } finally {
      holder.activation = softmax;
    }
    const [logitStep] = outputStepsOf(logitBytes);
    const fileLogits = (await runInt8File(logitBytes, xs!, runtimes[0])).map((o) => o[0]!);
    return {
      ...result,
      softmaxHead: {
        logitSteps: maxStepsBetween(fileLogits, logits, logitStep!),
        logitStep: logitStep!,
        softmaxSteps: maxStepsBetween(fileSoftmax, fileLogits.map(roundedSoftmax), 1 / 256),
      },
    };
  } finally {
    state.dispose();
    tf.dispose([calibration!, xs!]);
  }
}

/** `chunks` (one per forward pass) as `n` rows. */
function splitRows(chunks: readonly Float32Array[], n: number): Float32Array[] {
  const flat = new Float32Array(chunks.reduce((a, c) => a + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    flat.set(c, at);
    at += c.length;
  }
  const per = flat.length / n;
  return Array.from({ length: n }, (_, i) => flat.slice(i * per, (i + 1) * per));
}
