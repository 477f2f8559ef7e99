import type { StageRecord } from '../runner/StageRecord';
import { formatPercent } from '../report/formatPercent';

/** What a deployed leaf must achieve (`explore --max-accuracy-drop --max-size --max-latency`). */
export interface ExploreTargets {
  /** Largest acceptable drop of top-1 below the baseline's FP32 top-1, as a fraction (0.01: one point). */
  readonly maxAccuracyDrop?: number;
  /** Largest acceptable int8 .tflite file after deflate (zlib 6), in bytes. */
  readonly maxSize?: number;
  /** Largest acceptable mean milliseconds per inference of the int8 file in the TFLite interpreter. */
  readonly maxLatencyMs?: number;
}

/** How one leaf fares against {@link ExploreTargets}. */
export interface TargetVerdict {
  readonly meets: boolean;
  /** Top-1 compared: the int8 file's in the TFLite interpreter, or the stage's own (fake-int8) when that could not be measured. */
  readonly accuracy: number;
  readonly accuracySource: 'tflite' | 'stage';
  /** Baseline FP32 top-1 minus `accuracy`. */
  readonly drop: number;
  /** Deflated bytes of the int8 file, or null when it could not be written. */
  readonly size: number | null;
  readonly latencyMs: number | null;
  /** One line per missed target (empty when `meets`). */
  readonly misses: readonly string[];
}

/**
 * Checks a leaf's record against the targets, relative to the baseline's FP32 top-1. A target
 * whose quantity could not be measured counts as missed, with the reason.
 */
export function checkTargets(record: StageRecord, baselineAccuracy: number, targets: ExploreTargets): TargetVerdict {
  const measured = record.int8.accuracy;
  const accuracy = measured ?? record.accuracy;
  const drop = baselineAccuracy - accuracy;
  const size = record.int8.size?.deflated ?? null;
  const latencyMs = record.int8.latencyMs;
  const misses: string[] = [];
  if (targets.maxAccuracyDrop !== undefined && drop > targets.maxAccuracyDrop) {
    misses.push(`accuracy drop ${formatPercent(drop)} > ${formatPercent(targets.maxAccuracyDrop)}`);
  }
  if (targets.maxSize !== undefined) {
    if (size === null) misses.push(`size unknown (${record.int8.unavailable})`);
    else if (size > targets.maxSize) misses.push(`size ${size.toLocaleString('en-US')} B > ${targets.maxSize.toLocaleString('en-US')} B`);
  }
  if (targets.maxLatencyMs !== undefined) {
    if (latencyMs === null) misses.push(`latency unknown (${record.int8.unavailable})`);
    else if (latencyMs > targets.maxLatencyMs) misses.push(`latency ${latencyMs.toFixed(3)} ms > ${targets.maxLatencyMs} ms`);
  }
  return { meets: misses.length === 0, accuracy, accuracySource: measured !== null ? 'tflite' : 'stage', drop, size, latencyMs, misses };
}
