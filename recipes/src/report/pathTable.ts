import type { RunResult } from '../runner/runRecipe';
import type { TextTable } from './formatTable';
import { int8ColumnHeader, int8ColumnRuntime } from './int8ColumnRuntime';
import { resultCells } from './resultCells';

/**
 * One recipe's results in the shape of the seed's tables: a column per stage (baseline first),
 * rows FP32 top-1 (fake INT8 where quantized), INT8 full-integer top-1 (naming its runtime) and
 * compression of the int8 file (`raw → deflate (x%)`). Print with `formatTable` or
 * `formatMarkdownTable`.
 */
export function pathTable(run: RunResult): TextTable {
  const records = run.stages.map((s) => s.record);
  const column = int8ColumnRuntime(records);
  const cells = records.map((r) => resultCells(r, column));
  const testSamples = run.stages[0]?.record.testSamples ?? 0;
  return {
    header: [`${run.recipe} (${testSamples.toLocaleString('en-US')} test samples)`, ...run.stages.map((s) => s.name)],
    rows: [
      ['FP32 top-1', ...cells.map((c) => c.fp32)],
      [int8ColumnHeader('INT8 full integer', records), ...cells.map((c) => c.int8)],
      ['Compression (int8 .tflite)', ...cells.map((c) => c.compression)],
    ],
  };
}
