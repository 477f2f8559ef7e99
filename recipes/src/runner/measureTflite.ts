import { performance } from 'node:perf_hooks';
import { loadTflite } from './loadTflite';
import type { RecipeData } from '../data/RecipeData';

/** Top-1 and latency of a .tflite file in the TFLite interpreter. */
export interface TfliteMeasurement {
  /** Top-1 accuracy on the split. */
  readonly accuracy: number;
  /** Mean milliseconds per single-sample inference (1 thread), over the whole split. */
  readonly latencyMs: number;
  readonly samples: number;
}

/**
 * Runs every sample of `split` through the file in a real TFLite interpreter (tfjs-tflite-node),
 * one sample per invocation as a deployed batch-1 model runs, and counts top-1 hits. The file
 * must take float32 input (the runner's int8 exports quantize inside the file).
 *
 * @throws TfliteUnavailableError when the interpreter is not installed; Error when the file's
 *   input does not hold one sample of `split`.
 */
export async function measureTflite(file: Uint8Array | string, split: RecipeData['test']): Promise<TfliteMeasurement> {
  const interpreter = await loadTflite(file);
  if (interpreter.inputs.length !== 1 || interpreter.inputs[0].dtype !== 'float32') {
    throw new Error(`measureTflite: expected one float32 input, the file has ${interpreter.inputs.map((t) => `${t.dtype}[${t.shape}]`).join(', ')}`);
  }
  const n = split.labels.length;
  const pixels = split.xs.dataSync() as Float32Array;
  const size = pixels.length / n;
  const expected = interpreter.inputs[0].shape.reduce((a, b) => a * b, 1);
  if (size !== expected) {
    throw new Error(`measureTflite: the file's input [${interpreter.inputs[0].shape}] holds ${expected} values, a sample of the split has ${size}`);
  }
  let right = 0;
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const out = interpreter.run([pixels.subarray(i * size, (i + 1) * size)])[0].data;
    let best = 0;
    for (let c = 1; c < out.length; c++) if (out[c] > out[best]) best = c;
    if (best === split.labels[i]) right++;
  }
  return { accuracy: right / n, latencyMs: (performance.now() - start) / n, samples: n };
}
