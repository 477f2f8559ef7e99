import { LiteRtUnavailableError } from '../errors/LiteRtUnavailableError';
import type { RecipeData } from '../data/RecipeData';
import { runTfliteRows, type TfliteRuntime } from './TfliteRuntime';

/** Top-1 and latency of a .tflite file in a TFLite runtime. */
export interface TfliteMeasurement {
  /** Top-1 accuracy on the split. */
  readonly accuracy: number;
  /** Mean milliseconds per single-sample inference (1 thread), over the whole split. */
  readonly latencyMs: number;
  readonly samples: number;
  /** The runtime that ran the file. */
  readonly runtime: TfliteRuntime;
  /** Why LiteRT did not, when `runtime` is TFLite 2.9 because it fell back; else null. */
  readonly liteRtUnavailable: string | null;
}

/** Options of {@link measureTflite}. */
export interface MeasureTfliteOptions {
  /**
   * The runtime; by default LiteRT, falling back to TFLite 2.9 (tfjs-tflite-node) when LiteRT
   * cannot start (the measurement then says why in `liteRtUnavailable`).
   */
  readonly runtime?: TfliteRuntime;
}

/**
 * Runs every sample of `split` through the file, one sample per invocation as a deployed batch-1
 * model runs, and counts top-1 hits. The file must take float32 input (the runner's int8 exports
 * quantize inside the file).
 *
 * @throws LiteRtUnavailableError / TfliteUnavailableError when the runtime asked for (or, by
 *   default, neither) can be used; Error when the file's input does not hold one sample of `split`.
 */
export async function measureTflite(file: Uint8Array | string, split: RecipeData['test'], options: MeasureTfliteOptions = {}): Promise<TfliteMeasurement> {
  const n = split.labels.length;
  const pixels = split.xs.dataSync() as Float32Array;
  const run = (runtime: TfliteRuntime) => runTfliteRows(runtime, file, [pixels], n);
  let runtime: TfliteRuntime = options.runtime ?? 'litert';
  let liteRtUnavailable: string | null = null;
  let result;
  try {
    result = await run(runtime);
  } catch (e) {
    if (options.runtime !== undefined || !(e instanceof LiteRtUnavailableError)) throw wrapInputError(e, pixels.length / n);
    liteRtUnavailable = e.reason;
    runtime = 'tflite-2.9';
    result = await run(runtime).catch((e2: unknown) => {
      throw wrapInputError(e2, pixels.length / n);
    });
  }
  const input = result.inputs[0];
  if (result.inputs.length !== 1 || input?.dtype !== 'float32') {
    throw new Error(`measureTflite: expected one float32 input, the file has ${result.inputs.map((t) => `${t.dtype}[${t.shape}]`).join(', ')}`);
  }
  const out = result.values[0]!;
  const classes = out.length / n;
  let right = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (out[i * classes + c]! > out[i * classes + best]!) best = c;
    if (best === split.labels[i]) right++;
  }
  return { accuracy: right / n, latencyMs: result.ms / n, samples: n, runtime, liteRtUnavailable };
}

/** A row that does not fit the file's input, said in the split's terms. */
function wrapInputError(e: unknown, size: number): unknown {
  if (e instanceof Error && /takes \d+ values per row/.test(e.message)) {
    return new Error(`measureTflite: a sample of the split has ${size} values, which does not fit the file's input (${e.message})`);
  }
  return e;
}
