import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { OptimizationState } from '@collabopt/core';
import { tfliteFileExporter } from '@collabopt/plugins';
import { calibrateAndWrite } from './calibrateAndWrite';
import { measureTflite } from './measureTflite';
import type { RunContext } from './RunContext';
import { isRuntimeUnavailable } from './TfliteRuntime';
import type { Int8Result } from './StageRecord';

/** File name of the stage's full-integer int8 TFLite file, inside its stage directory. */
export const STAGE_INT8_FILE = 'model.int8.tflite';

/**
 * The INT8 column: the stage written as a full-integer int8 TFLite file (activation ranges from a
 * session that emulated inference, or calibrated on the representative data for a float stage, as
 * TFLite's post-training quantization does; see `calibrateAndWrite`) and run on the test split in
 * LiteRT, or in TFLite 2.9 when LiteRT cannot start (`measureTflite`; `runtime` says which). Whatever cannot be measured is said in `unavailable`, never guessed.
 * The state was saved already, so ranges calibrated here change nothing on disk.
 */
export async function measureInt8(ctx: RunContext, model: tf.LayersModel, state: OptimizationState, emulated: boolean, dir: string): Promise<Int8Result> {
  const none = { file: null, ranges: null, size: null, compression: null, accuracy: null, latencyMs: null, runtime: null, verified: {} };
  const known = ctx.exportCheck?.int8Unavailable ?? null;
  if (known !== null) return { ...none, unavailable: known };
  const file = path.join(dir, STAGE_INT8_FILE);
  let written;
  try {
    ({ written } = await calibrateAndWrite(model, state, {
      exporter: tfliteFileExporter,
      variant: 'int8',
      target: file,
      calibrated: emulated,
      representative: ctx.data.representative,
    }));
  } catch (e) {
    return { ...none, unavailable: `int8 export failed: ${(e as Error).message.split('\n')[0]}` };
  }
  const base = { file: STAGE_INT8_FILE, ranges: emulated ? ('session' as const) : ('calibrated' as const), size: written.size, compression: written.compression, verified: written.verified };
  try {
    const m = await measureTflite(file, ctx.data.test);
    return { ...base, accuracy: m.accuracy, latencyMs: m.latencyMs, runtime: m.runtime, unavailable: null };
  } catch (e) {
    if (!isRuntimeUnavailable(e)) throw e;
    return { ...base, accuracy: null, latencyMs: null, runtime: null, unavailable: e.reason };
  }
}
