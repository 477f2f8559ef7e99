import type { RunResult } from '../runner/runRecipe';
import type { TextTable } from './formatTable';
import { resultCells } from './resultCells';

/**
 * One recipe's results in the shape of the seed's tables: a column per stage (baseline first),
 * rows FP32 top-1 (fake INT8 where quantized), INT8 full-integer top-1 (TFLite interpreter) and
 * compression of the int8 file (`raw → deflate (x%)`). Print with `formatTable` or
 * `formatMarkdownTable`.
 */
export function pathTable(run: RunResult): TextTable {
  const cells = run.stages.map((s) => resultCells(s.record));
  const testSamples = run.stages[0]?.record.testSamples ?? 0;
  return {
    header: [`${run.recipe} (${testSamples.toLocaleString('en-US')} test samples)`, ...run.stages.map((s) => s.name)],
    rows: [
      ['FP32 top-1', ...cells.map((c) => c.fp32)],
      ['INT8 full integer (TFLite)', ...cells.map((c) => c.int8)],
      ['Compression (int8 .tflite)', ...cells.map((c) => c.compression)],
    ],
  };
}
