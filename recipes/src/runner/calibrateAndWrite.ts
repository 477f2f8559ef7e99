import type * as tf from '@tensorflow/tfjs';
import type { OptimizationState } from '@collabopt/core';
import { observeActivationRanges, type FileExporter, type WrittenExport } from '@collabopt/plugins';

/** Input of {@link calibrateAndWrite}. */
export interface CalibrateAndWriteArgs {
  readonly exporter: FileExporter;
  readonly variant: string;
  readonly target: string;
  /** The exporter's options from the spec (no format, variant or target). */
  readonly options?: Record<string, unknown>;
  /** Whether `state` already has activation ranges for this model (a stage that emulated inference, or an earlier calibration). */
  readonly calibrated: boolean;
  /** Representative inputs to calibrate on when the variant needs ranges and there are none. */
  readonly representative: tf.Tensor;
}

/**
 * The one path from a finished model to an export that may need activation ranges (the stage's
 * INT8 file and the recipe's exports): calibrate on the representative data when the variant
 * needs ranges the state does not have — TFLite's post-training quantization; ranges recorded by
 * an earlier quantized stage describe other weights — then write through the exporter.
 *
 * @returns what was written, and whether the state now holds calibrated ranges.
 */
export async function calibrateAndWrite(
  model: tf.LayersModel,
  state: OptimizationState,
  args: CalibrateAndWriteArgs,
): Promise<{ written: WrittenExport; calibrated: boolean }> {
  let calibrated = args.calibrated;
  if (args.exporter.needsCalibration(args.variant) && !calibrated) {
    await observeActivationRanges(model, args.representative, { state });
    calibrated = true;
  }
  const written = await args.exporter.write(model, args.target, args.variant, args.options ?? {}, state);
  return { written, calibrated };
}
