/**
 * Test helper: runs a .tflite file on samples and compares its outputs with reference outputs
 * (tfjs `predict`, or a fake-quant model's predictions), for per-mode tolerances and for top-1
 * agreement (the QAT-MNIST acceptance test uses `top1Agreement` with ≥ 99.5%).
 */
import type * as tf from '@tensorflow/tfjs';
import { loadTflite } from '../../../../recipes/src/runner/loadTflite';
import { sampleRows } from './fixtures';

/** Largest absolute difference and largest |reference| over all outputs and samples. */
export interface Comparison {
  readonly maxAbsError: number;
  readonly maxAbsReference: number;
  /** Fraction of samples whose argmax of output 0 agrees. */
  readonly top1Agreement: number;
  /** The interpreter's outputs, per sample, per output. */
  readonly outputs: Float32Array[][];
}

/**
 * Runs `bytes` in the TFLite interpreter on samples `0..n-1` of `xs` (float inputs) and compares
 * with `reference[sample][output]`.
 */
export async function compareWithTflite(bytes: Uint8Array, xs: tf.Tensor[], reference: Float32Array[][]): Promise<Comparison> {
  const interpreter = await loadTflite(bytes);
  let maxAbsError = 0;
  let maxAbsReference = 0;
  let agree = 0;
  const outputs: Float32Array[][] = [];
  reference.forEach((ref, i) => {
    const out = interpreter.run(sampleRows(xs, i)).map((o) => Float32Array.from(o.data));
    outputs.push(out);
    if (out.length !== ref.length) throw new Error(`the file has ${out.length} outputs, the reference ${ref.length}`);
    out.forEach((o, k) => {
      if (o.length !== ref[k].length) throw new Error(`output ${k} has ${o.length} values, the reference ${ref[k].length}`);
      o.forEach((v, j) => {
        maxAbsError = Math.max(maxAbsError, Math.abs(v - ref[k][j]));
        maxAbsReference = Math.max(maxAbsReference, Math.abs(ref[k][j]));
      });
    });
    if (argmax(out[0]) === argmax(ref[0])) agree++;
  });
  return { maxAbsError, maxAbsReference, top1Agreement: agree / reference.length, outputs };
}

function argmax(a: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
}

/**
 * Loads `bytes` in the TFLite interpreter and runs it once on deterministic inputs in [-1, 1)
 * (int8 inputs: levels), failing unless every output is finite. For exports a test checks in
 * other ways, so that every file the suite writes is also run by a real TFLite.
 */
export async function expectRunsInTflite(bytes: Uint8Array): Promise<void> {
  const interpreter = await loadTflite(bytes);
  const inputs = interpreter.inputs.map((t, k) => {
    const n = t.shape.reduce((a, b) => a * b, 1);
    return Float32Array.from({ length: n }, (_, i) => {
      const u = Math.sin(12.9898 * (i + 1) + 78.233 * (k + 1)) * 43758.5453;
      const x = 2 * (u - Math.floor(u)) - 1;
      return t.dtype === 'int8' ? Math.round(x * 127) : x;
    });
  });
  for (const out of interpreter.run(inputs)) {
    for (const v of out.data) if (!Number.isFinite(v)) throw new Error(`output ${out.name} of the TFLite run holds ${v}`);
  }
}
