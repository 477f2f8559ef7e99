import { expect } from 'chai';
import { int8ColumnHeader, int8ColumnRuntime, int8RuntimeOf } from '../../../recipes/src/report/int8ColumnRuntime';
import type { StageRecord } from '../../../recipes/src/runner/StageRecord';

/** Only what these functions read of a record: its INT8 measurement. */
const rec = (accuracy: number | null, runtime?: 'litert' | 'tflite-2.9') => ({ int8: { accuracy, ...(runtime ? { runtime } : {}) } }) as unknown as StageRecord;

describe('int8ColumnRuntime', () => {
  it('int8RuntimeOf: the runtime that measured the cell; unmeasured is null; records without a runtime were TFLite 2.9', () => {
    expect(int8RuntimeOf(rec(0.98, 'litert'))).to.equal('litert');
    expect(int8RuntimeOf(rec(0.98, 'tflite-2.9'))).to.equal('tflite-2.9');
    expect(int8RuntimeOf(rec(0.98))).to.equal('tflite-2.9');
    expect(int8RuntimeOf(rec(null, 'litert'))).to.equal(null);
  });

  it('the column names LiteRT when any cell was measured in it, else TFLite 2.9 when any was, else nothing', () => {
    expect(int8ColumnRuntime([rec(null), rec(0.9, 'tflite-2.9'), rec(0.9, 'litert')])).to.equal('litert');
    expect(int8ColumnRuntime([rec(null), rec(0.9)])).to.equal('tflite-2.9');
    expect(int8ColumnRuntime([rec(null)])).to.equal(null);
    expect(int8ColumnRuntime([])).to.equal(null);
  });

  it('int8ColumnHeader puts the label in the header, or plain TFLite when nothing was measured', () => {
    expect(int8ColumnHeader('INT8 top-1', [rec(0.9, 'litert')])).to.equal('INT8 top-1 (LiteRT)');
    expect(int8ColumnHeader('INT8 top-1', [rec(0.9)])).to.equal('INT8 top-1 (TFLite 2.9)');
    expect(int8ColumnHeader('INT8 top-1', [rec(null)])).to.equal('INT8 top-1 (TFLite)');
  });
});
