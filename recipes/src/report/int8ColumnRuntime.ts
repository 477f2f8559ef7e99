import type { StageRecord } from '../runner/StageRecord';
import { TFLITE_RUNTIME_LABELS, type TfliteRuntime } from '../runner/TfliteRuntime';

/** The runtime that measured a stage's INT8 cell, or null when it was not measured (records from before `runtime` was recorded were TFLite 2.9). */
export function int8RuntimeOf(record: StageRecord): TfliteRuntime | null {
  return record.int8.accuracy === null ? null : (record.int8.runtime ?? 'tflite-2.9');
}

/**
 * The runtime an INT8 column names in its header: LiteRT when any of `records` was measured in
 * it (cells measured in TFLite 2.9 then say so), else TFLite 2.9 when any was, else null.
 */
export function int8ColumnRuntime(records: readonly StageRecord[]): TfliteRuntime | null {
  const used = new Set(records.map(int8RuntimeOf));
  return used.has('litert') ? 'litert' : used.has('tflite-2.9') ? 'tflite-2.9' : null;
}

/** `INT8 top-1 (LiteRT)`-style header text: `base` with the column's runtime, or with `TFLite` when nothing was measured. */
export function int8ColumnHeader(base: string, records: readonly StageRecord[]): string {
  const runtime = int8ColumnRuntime(records);
  return `${base} (${runtime ? TFLITE_RUNTIME_LABELS[runtime] : 'TFLite'})`;
}
