import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { checkNMSparsity } from '../../../plugins/src/pruning/checkNMSparsity';
import { nmMask } from '../../../plugins/src/pruning/nmMask';

describe('pruning/checkNMSparsity', () => {
  describe('TFMOT IsPruned2x4Test cases, on TFLite-layout rows', () => {
    const cases: Array<[number[][], boolean]> = [
      [[[1, 2, 3, 4]], false],
      [[[1, 2, 0, 4], [0, 0, 1, 2]], false],
      [[[1, 2, 3, 4, 5, 6]], false],
      [[[1, 2, 0, 0]], true],
      [[[1, 2, 0, 0], [0, 0, 0, 1], [0, 2, 1, 0]], true],
      [[[0, 0, 0, 0]], true],
    ];
    for (const [rows, ok] of cases) {
      it(`${JSON.stringify(rows)} -> ${ok}`, () => {
        const w = tf.tensor2d(rows);
        expect(checkNMSparsity(w, { layout: 'tflite' }).ok).to.equal(ok);
        w.dispose();
      });
    }

    it('an empty kernel is trivially N:M', () => {
      expect(checkNMSparsity({ values: [], shape: [0, 4] }, { layout: 'tflite' })).to.deep.include({ ok: true, groups: 0, violationCount: 0 });
    });
  });

  it('reports each violating group with its index, row, first column and count', () => {
    // TFLite rows: [1,2,3,4, 5,0,0,0], [0,0,1,1, 1,1,1,0] -> groups 0 (4 non-zeros) and 3 (3 non-zeros) violate.
    const result = checkNMSparsity({ values: [1, 2, 3, 4, 5, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0], shape: [2, 8] }, { layout: 'tflite' });
    expect(result.ok).to.equal(false);
    expect(result.groups).to.equal(4);
    expect(result.allowedNonZeros).to.equal(2);
    expect(result.violationCount).to.equal(2);
    expect(result.violations).to.deep.equal([
      { group: 0, row: 0, column: 0, nonZeros: 4 },
      { group: 3, row: 1, column: 4, nonZeros: 3 },
    ]);
  });

  it('reads tfjs kernels in TFLite order: a Dense [in, out] kernel is checked along in', () => {
    // Kernel [in = 4, out = 2]: column 0 is [1, 0, 0, 1] (fine), column 1 is [1, 1, 1, 0] (violates).
    // Read row-wise (the wrong axis) both pairs of rows would look 2:4-compliant.
    const w = tf.tensor2d([
      [1, 1],
      [0, 1],
      [0, 1],
      [1, 0],
    ]);
    const result = checkNMSparsity(w);
    expect(result.violations).to.deep.equal([{ group: 1, row: 1, column: 0, nonZeros: 3 }]);
    expect(checkNMSparsity(w, { layout: 'tflite' }).ok).to.equal(true);
    w.dispose();
  });

  it('accepts a masked Conv2D kernel and finds a single regrown weight', () => {
    const w = tf.randomNormal([3, 3, 8, 4], 0, 1, 'float32', 31);
    const { mask } = nmMask(w);
    const pruned = tf.mul(w, mask);
    const good = checkNMSparsity(pruned);
    expect(good).to.deep.include({ ok: true, groups: 4 * 3 * 3 * 2, violationCount: 0 });

    // Regrow one pruned weight at y=1, x=2, o=3, in group 1 (i = 4..7): TFLite row = o*9 + y*3 + x = 32.
    const values = pruned.dataSync().slice();
    const maskValues = mask.dataSync();
    const flatOf = (i: number): number => ((1 * 3 + 2) * 8 + i) * 4 + 3;
    const prunedSlot = [4, 5, 6, 7].find((i) => maskValues[flatOf(i)] === 0);
    expect(prunedSlot).not.to.equal(undefined);
    const target = flatOf(prunedSlot as number);
    values[target] = 0.123;
    const bad = checkNMSparsity({ values, shape: [3, 3, 8, 4] });
    expect(bad.ok).to.equal(false);
    expect(bad.violations).to.deep.equal([{ group: 32 * 2 + 1, row: 32, column: 4, nonZeros: 3 }]);
    tf.dispose([w, mask, pruned]);
  });

  it('works on int8 values read back from a file, in TFLite layout', () => {
    const values = Int8Array.from([12, 0, -7, 0, 0, 0, 3, 0, 9, 9, 0, 0]); // [out = 1, h = 1, w = 1, in = 12]
    expect(checkNMSparsity({ values, shape: [1, 1, 1, 12] }, { layout: 'tflite' }).ok).to.equal(true);
    values[1] = 1;
    expect(checkNMSparsity({ values, shape: [1, 1, 1, 12] }, { layout: 'tflite' }).violations).to.deep.equal([{ group: 0, row: 0, column: 0, nonZeros: 3 }]);
  });

  it('counts a short last group against n - m as well, and NaN as non-zero', () => {
    expect(checkNMSparsity({ values: [1, 1, 0, 0, 1, 1], shape: [1, 6] }, { layout: 'tflite' }).ok).to.equal(true);
    expect(checkNMSparsity({ values: [1, 1, 0, 0, 1, 1, 1], shape: [1, 7] }, { layout: 'tflite' }).violations).to.deep.equal([
      { group: 1, row: 0, column: 4, nonZeros: 3 },
    ]);
    expect(checkNMSparsity({ values: [NaN, NaN, NaN, 0], shape: [1, 4] }, { layout: 'tflite' }).ok).to.equal(false);
  });

  it('lists at most maxViolations but counts them all', () => {
    const dense = { values: new Float32Array(64 * 16).fill(1), shape: [64, 16] };
    const result = checkNMSparsity(dense, { maxViolations: 3 });
    expect(result.violationCount).to.equal(16 * 16);
    expect(result.violations.map((v) => v.group)).to.deep.equal([0, 1, 2]);
  });

  it('leaks no tensors', () => {
    const w = tf.randomNormal([16, 8]);
    const before = tf.memory().numTensors;
    checkNMSparsity(w);
    expect(tf.memory().numTensors).to.equal(before);
    w.dispose();
  });

  describe('bad input', () => {
    it('rejects unsupported ranks, listing the supported shapes for the layout', () => {
      expect(() => checkNMSparsity({ values: [1, 2, 3], shape: [3] })).to.throw(
        TypeError,
        'checkNMSparsity(weights): N:M sparsity is not supported for shape [3] (rank 1); it supports Dense kernels [in, out] (rank 2) and Conv2D kernels [height, width, in, out] (rank 4)',
      );
      expect(() => checkNMSparsity({ values: [1, 2, 3], shape: [1, 1, 3] }, { layout: 'tflite' })).to.throw(
        TypeError,
        /supports TFLite Dense weights \[out, in\] \(rank 2\) and Conv2D weights \[out, height, width, in\] \(rank 4\)/,
      );
    });

    it('rejects values that do not fill the shape, a bad layout and bad m, n, maxViolations', () => {
      expect(() => checkNMSparsity({ values: [1, 2, 3], shape: [2, 2] }, { label: 'fc' })).to.throw(
        RangeError,
        'checkNMSparsity(fc): 3 values do not fill shape [2, 2] (4 elements)',
      );
      expect(() => checkNMSparsity({ values: [1], shape: [1, 1] }, { layout: 'nhwc' as 'tf' })).to.throw(
        TypeError,
        `checkNMSparsity(weights): layout must be 'tf' or 'tflite', received "nhwc"`,
      );
      expect(() => checkNMSparsity({ values: [1], shape: [1, 1] }, { m: 5, n: 4 })).to.throw(RangeError, /m \(zeros per group\) must be an integer with 0 < m < n \(n = 4\), received 5/);
      expect(() => checkNMSparsity({ values: [1], shape: [1, 1] }, { maxViolations: -1 })).to.throw(RangeError, /maxViolations must be an integer >= 0, received -1/);
      expect(() => checkNMSparsity('kernel' as unknown as { values: number[]; shape: number[] })).to.throw(
        TypeError,
        'checkNMSparsity(weights): weights must be a tf.Tensor or { values, shape }, received "kernel"',
      );
    });
  });
});
