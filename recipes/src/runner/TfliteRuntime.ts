/**
 * The two interpreters collabopt runs .tflite files in, behind one batched call:
 * - `litert`: LiteRT.js 2.x (XNNPACK on wasm) in headless Chromium — the current runtime, and the
 *   reference where the two differ;
 * - `tflite-2.9`: tfjs-tflite-node, which bundles TFLite 2.9 (2022) as a Node addon and is known
 *   to differ (per-channel int8 FULLY_CONNECTED computes wrong results there).
 * The INT8 column uses LiteRT when it can start and falls back to TFLite 2.9, saying so.
 */
import { performance } from 'node:perf_hooks';
import * as fs from 'node:fs';
import { LiteRtUnavailableError } from '../errors/LiteRtUnavailableError';
import { TfliteUnavailableError } from '../errors/TfliteUnavailableError';
import { liteRtUnavailableReason, withLiteRt } from './litert/sharedLiteRt';
import { loadTflite, tfliteUnavailableReason, type TfliteTensorSpec } from './loadTflite';

/** Which interpreter. */
export type TfliteRuntime = 'litert' | 'tflite-2.9';

/** Both runtimes, the reference first. */
export const TFLITE_RUNTIMES: readonly TfliteRuntime[] = ['litert', 'tflite-2.9'];

/** Short names, as the results table's INT8 column header and cells show them. */
export const TFLITE_RUNTIME_LABELS: Readonly<Record<TfliteRuntime, string>> = { litert: 'LiteRT', 'tflite-2.9': 'TFLite 2.9' };

/** Outputs of {@link runTfliteRows}. */
export interface TfliteRowsResult {
  readonly inputs: readonly TfliteTensorSpec[];
  readonly outputs: readonly TfliteTensorSpec[];
  /** Per model output, the rows' values back to back. */
  readonly values: readonly Float32Array[];
  /** Milliseconds inside the invocations, summed over rows. */
  readonly ms: number;
}

/**
 * Runs `rows` samples through `model` in `runtime`, one invocation per sample (the files are
 * batch-1, as deployed). `inputs[k]` holds the rows of model input k back to back; int8 inputs
 * as integer levels.
 * @throws LiteRtUnavailableError / TfliteUnavailableError when the runtime cannot be used;
 *   Error when the inputs do not fit the file or the runtime rejects it.
 */
export async function runTfliteRows(runtime: TfliteRuntime, model: Uint8Array | string, inputs: readonly ArrayLike<number>[], rows: number): Promise<TfliteRowsResult> {
  if (runtime === 'litert') {
    const bytes = typeof model === 'string' ? fs.readFileSync(model) : model;
    return withLiteRt(async (browser) => {
      const m = await browser.load(bytes);
      try {
        const { outputs, ms } = await m.run(inputs, rows);
        return { inputs: m.inputs, outputs: m.outputs, values: outputs, ms };
      } finally {
        await m.dispose();
      }
    });
  }
  const interpreter = await loadTflite(model);
  const inSizes = interpreter.inputs.map((t) => t.shape.reduce((a, b) => a * b, 1));
  const outSizes = interpreter.outputs.map((t) => t.shape.reduce((a, b) => a * b, 1));
  inputs.forEach((x, k) => {
    if (x.length !== (inSizes[k] ?? 0) * rows) throw new Error(`TFLite input '${interpreter.inputs[k]?.name ?? k}' takes ${inSizes[k]} values per row, got ${x.length} for ${rows} rows`);
  });
  const values = outSizes.map((n) => new Float32Array(n * rows));
  const flat = inputs.map((x) => (x instanceof Float32Array ? x : Float32Array.from(x)));
  let ms = 0;
  for (let r = 0; r < rows; r++) {
    const row = flat.map((x, k) => x.subarray(r * inSizes[k]!, (r + 1) * inSizes[k]!));
    const start = performance.now();
    const out = interpreter.run(row);
    ms += performance.now() - start;
    out.forEach((o, k) => values[k]!.set(o.data, r * outSizes[k]!));
  }
  return { inputs: interpreter.inputs, outputs: interpreter.outputs, values, ms };
}

/** Why `runtime` cannot be used here, or null. LiteRT's answer may take seconds (it starts Chromium). */
export async function tfliteRuntimeUnavailableReason(runtime: TfliteRuntime): Promise<string | null> {
  return runtime === 'litert' ? liteRtUnavailableReason() : tfliteUnavailableReason();
}

/** The runtime the INT8 column uses, and why LiteRT is not it when it is not. */
export interface Int8RuntimeChoice {
  /** `null` when neither runtime can be used. */
  readonly runtime: TfliteRuntime | null;
  /** Why LiteRT was not chosen, or null. */
  readonly liteRtUnavailable: string | null;
  /** Why nothing can measure the INT8 column, or null. */
  readonly unavailable: string | null;
}

/** LiteRT when it starts, else TFLite 2.9 when installed, else neither (with both reasons). */
export async function chooseInt8Runtime(): Promise<Int8RuntimeChoice> {
  const liteRt = await liteRtUnavailableReason();
  if (liteRt === null) return { runtime: 'litert', liteRtUnavailable: null, unavailable: null };
  const tflite = tfliteUnavailableReason();
  if (tflite === null) return { runtime: 'tflite-2.9', liteRtUnavailable: liteRt, unavailable: null };
  return { runtime: null, liteRtUnavailable: liteRt, unavailable: `${liteRt}; ${tflite}` };
}

/** Whether `e` says a runtime is unavailable (rather than that a file or input is wrong). */
export function isRuntimeUnavailable(e: unknown): e is LiteRtUnavailableError | TfliteUnavailableError {
  return e instanceof LiteRtUnavailableError || e instanceof TfliteUnavailableError;
}
