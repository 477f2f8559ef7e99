/**
 * The int8 fidelity measure (DESIGN.md §11): how far an int8 TFLite file's outputs are from the
 * session's fake-quant model, in output quantization steps read from the file itself, max over
 * elements. Used by the fidelity tests and bench/int8-fidelity.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { collab, type OptimizationState } from '@collabopt/core';
import { exportTflite } from '../../plugins/src/export/tflite/exportTflite';
import { readTflite } from '../../plugins/src/export/tflite/read/readTflite';
import { quantize } from '../../plugins/src/quantization/QuantizePlugin';
import { loadTflite } from '../../recipes/src/runner/loadTflite';
import { inputsFor } from '../plugins/export/tflite/fixtures';

/** How the model got its quantization ranges. */
export type FidelityScenario = 'ptq' | 'qat';

/** One measurement. */
export interface FidelityResult {
  /** Max over samples and elements of |int8 file − fake-quant| / output step. */
  readonly maxSteps: number;
  /** The output step (scale) of each model output, read from the file. */
  readonly outputSteps: readonly number[];
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
 * Runs `bytes` on each row of `xs` and returns the largest |file − reference| in output steps.
 * `reference[i]` is the fake-quant model's output on row `i` (single-output models).
 */
export async function maxOutputSteps(bytes: Uint8Array, xs: tf.Tensor, reference: readonly Float32Array[]): Promise<FidelityResult> {
  const steps = outputStepsOf(bytes);
  const interpreter = await loadTflite(bytes);
  const rowSize = xs.size / xs.shape[0]!;
  const data = xs.dataSync();
  let maxSteps = 0;
  reference.forEach((ref, i) => {
    const [out] = interpreter.run([data.subarray(i * rowSize, (i + 1) * rowSize)]);
    if (out!.data.length !== ref.length) throw new Error(`row ${i}: the file gives ${out!.data.length} values, the reference ${ref.length}`);
    for (let j = 0; j < ref.length; j++) maxSteps = Math.max(maxSteps, Math.abs(out!.data[j]! - ref[j]!) / steps[0]!);
  });
  return { maxSteps, outputSteps: steps };
}

/**
 * Exports the quantized model in some int8 format and measures it against the fake-quant
 * outputs (`reference[i]` for row `i` of `xs`); the TFLite one is the default.
 */
export type Int8Measure = (model: tf.LayersModel, state: OptimizationState, xs: tf.Tensor, reference: readonly Float32Array[]) => Promise<FidelityResult>;

/** The TFLite int8 file, run by TFLite 2.9. */
export const measureTfliteInt8: Int8Measure = async (model, state, xs, reference) => {
  const { bytes } = await exportTflite(model, { mode: 'int8' }, state);
  return maxOutputSteps(bytes, xs, reference);
};

/**
 * Quantizes `model` (PTQ: calibration only; QAT: a short fine-tune on random targets), records
 * the fake-quant model's outputs while the session runs, exports int8 and measures the file
 * against them. The model's weights change under QAT; build a fresh model per call.
 */
export async function measureInt8Fidelity(
  model: tf.LayersModel,
  scenario: FidelityScenario,
  options: { samples?: number; seed?: number; measure?: Int8Measure } = {},
): Promise<FidelityResult> {
  const samples = options.samples ?? 32;
  const seed = options.seed ?? 1;
  const [calibration] = inputsFor(model, 64, 3 + seed);
  const [xs] = inputsFor(model, samples, 11 + seed);
  const quiet = { onWarning: () => {} };
  let session;
  if (scenario === 'ptq') {
    session = collab(model, [quantize({ mode: 'ptq' })], { train: false, ...quiet });
    await session.calibrate(calibration!);
  } else {
    const outShape = model.outputs[0]!.shape.slice(1) as number[];
    const ys = tf.tidy(() => tf.randomUniform([64, ...outShape], 0, 1, 'float32', seed));
    model.compile({ optimizer: tf.train.adam(0.003), loss: 'meanSquaredError' });
    session = collab(model, [quantize()], quiet);
    // No shuffling: fit() shuffles with Math.random, and a measurement must repeat exactly.
    await model.fit(calibration!, ys, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0, callbacks: [session.callback()] });
    ys.dispose();
  }
  // While the session runs, predict() is the emulated int8 model.
  const reference = tf.tidy(() => {
    const out = model.predict(xs!) as tf.Tensor;
    const flat = out.dataSync() as Float32Array;
    const per = out.size / samples;
    return Array.from({ length: samples }, (_, i) => flat.slice(i * per, (i + 1) * per));
  });
  const { state } = await session.finish();
  try {
    return await (options.measure ?? measureTfliteInt8)(model, state, xs!, reference);
  } finally {
    state.dispose();
    tf.dispose([calibration!, xs!]);
  }
}
