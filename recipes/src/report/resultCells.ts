import type { StageRecord } from '../runner/StageRecord';
import { TFLITE_RUNTIME_LABELS, type TfliteRuntime } from '../runner/TfliteRuntime';
import { formatPercent as percent } from './formatPercent';
import { int8RuntimeOf } from './int8ColumnRuntime';

/** The seed's three items for one stage, as table cells. */
export interface ResultCells {
  /** `98.52%`, or `(fake INT8) 98.40%` for a quantized stage. */
  readonly fp32: string;
  /** Top-1 of the int8 file in its runtime, or why it is not there. */
  readonly int8: string;
  /** `raw → deflated (x%)` of the int8 file, or why it is not there. */
  readonly compression: string;
  /** Mean ms per inference of the int8 file, or `-`. */
  readonly latency: string;
}

/**
 * The cells of one stage in the seed's format: FP32 top-1 (marked fake INT8 where the stage
 * emulates int8), INT8 full-integer top-1 measured by a TFLite runtime, compression of the int8
 * file. A value that could not be measured says why instead (`n/a (...)`), once per stage.
 * @param column the runtime the INT8 column's header names (`int8ColumnRuntime`); a cell measured
 *   in another runtime names its own, e.g. `98.41% (TFLite 2.9)`.
 */
export function resultCells(record: StageRecord, column: TfliteRuntime | null = null): ResultCells {
  const int8 = record.int8;
  const why = int8.unavailable ?? 'not measured';
  const runtime = int8RuntimeOf(record);
  const other = column !== null && runtime !== null && runtime !== column ? ` (${TFLITE_RUNTIME_LABELS[runtime]})` : '';
  return {
    fp32: `${record.quantized ? '(fake INT8) ' : ''}${percent(record.accuracy)}`,
    int8: int8.accuracy !== null ? `${percent(int8.accuracy)}${other}` : `n/a (${why})`,
    // Without a file the INT8 cell already says why; the reason is not repeated.
    compression: int8.compression ?? (int8.file === null ? 'n/a' : `n/a (${why})`),
    latency: int8.latencyMs !== null ? `${int8.latencyMs.toFixed(3)} ms` : '-',
  };
}
