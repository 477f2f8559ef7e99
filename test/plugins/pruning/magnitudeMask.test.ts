import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { keptCount } from '../../../plugins/src/pruning/keptCount';
import { magnitudeMask } from '../../../plugins/src/pruning/magnitudeMask';
import { mulberry32 } from '../../helpers/random';
import { thrown } from './thrown';

/** Runs `fn`, returning its result after checking that it left no tensor behind besides `keep(result)`. */
function withoutLeaks<T>(fn: () => T, owned: (result: T) => tf.Tensor[]): T {
  const before = tf.memory().numTensors;
  const result = fn();
  const tensors = owned(result);
  expect(tf.memory().numTensors, 'tensors alive besides the result').to.equal(before + tensors.length);
  return result;
}

/** The TFMOT algorithm written the obvious way: full descending sort, t = k-th value, |w| >= t. */
function referenceMask(values: Float32Array, sparsity: number): { mask: number[]; threshold: number } {
  const abs = Float32Array.from(values, Math.abs);
  const n = abs.length;
  const raw = Math.fround(Math.fround(n) * Math.fround(1 - Math.fround(sparsity)));
  const floor = Math.floor(raw);
  const rounded = raw - floor === 0.5 ? (floor % 2 === 0 ? floor : floor + 1) : Math.round(raw);
  const k = Math.max(rounded, 1);
  const sorted = abs.slice().sort().reverse();
  const threshold = sorted[k - 1];
  return { mask: Array.from(abs, (a) => (a >= threshold ? 1 : 0)), threshold };
}

function maskOf(values: number[] | Float32Array, sparsity: number, exactTies = false): { mask: number[]; threshold: number; kept: number } {
  const w = tf.tensor1d(Float32Array.from(values));
  const result = magnitudeMask(w, sparsity, { exactTies });
  const mask = Array.from(result.mask.dataSync());
  expect(result.mask.dtype).to.equal('float32');
  result.mask.dispose();
  w.dispose();
  return { mask, threshold: result.threshold, kept: result.kept };
}

describe('pruning/magnitudeMask', () => {
  it('TFMOT golden: arange(1..10) at 20% -> threshold 3, mask [0,0,1,...,1]', () => {
    const expected = [0, 0, 1, 1, 1, 1, 1, 1, 1, 1];
    // 0.200000018 is the exact sparsity TFMOT's test feeds in ("sparsity math often returns values with small tolerances").
    for (const sparsity of [0.2, 0.200000018]) {
      const { mask, threshold, kept } = maskOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], sparsity);
      expect(threshold).to.equal(3);
      expect(mask).to.deep.equal(expected);
      expect(kept).to.equal(8);
    }
  });

  it('TFMOT golden: linspace(1, 100, 100) at 50% -> 50 non-zeros, the 50 largest', () => {
    const values = Float32Array.from({ length: 100 }, (_, i) => 1 + i);
    const { mask, kept } = maskOf(values, 0.5);
    expect(mask.reduce((a, b) => a + b, 0)).to.equal(50);
    expect(kept).to.equal(50);
    expect(mask.slice(0, 50).every((v) => v === 0)).to.equal(true);
    expect(mask.slice(50).every((v) => v === 1)).to.equal(true);
  });

  it('TFMOT golden: sparsity 0.9999 on 100 weights keeps exactly the largest one', () => {
    const rand = mulberry32(3);
    const values = Float32Array.from({ length: 100 }, () => rand() * 2 - 1);
    const largest = values.reduce((best, v, i) => (Math.abs(v) > Math.abs(values[best]) ? i : best), 0);
    const { mask, kept } = maskOf(values, 0.9999);
    expect(kept).to.equal(1);
    expect(mask.indexOf(1)).to.equal(largest);
    expect(mask.reduce((a, b) => a + b, 0)).to.equal(1);
  });

  it('ranks by magnitude, not by signed value', () => {
    const { mask, threshold } = maskOf([-5, 1, 3, -0.5], 0.5);
    expect(mask).to.deep.equal([1, 0, 1, 0]);
    expect(threshold).to.equal(3);
  });

  it('rounds the kept count half to even, as tf.math.round', () => {
    expect(maskOf([1, 2, 3, 4, 5], 0.5).kept).to.equal(2); // 2.5 -> 2
    expect(maskOf([1, 2, 3, 4, 5, 6, 7], 0.5).kept).to.equal(4); // 3.5 -> 4
  });

  it('sparsity 0 keeps everything, including zeros', () => {
    const { mask, threshold } = maskOf([0, -2, 0, 1], 0);
    expect(mask).to.deep.equal([1, 1, 1, 1]);
    expect(threshold).to.equal(0);
  });

  describe('ties', () => {
    it('TFMOT parity (default): every weight equal to the threshold is kept, so sparsity can fall short', () => {
      // n = 5, k = round(5 * 0.4) = 2, t = 2 -> all three 2s survive: 4 kept, realised sparsity 0.2 < 0.6.
      const { mask, threshold, kept } = maskOf([1, 2, -2, 2, 3], 0.6);
      expect(threshold).to.equal(2);
      expect(mask).to.deep.equal([0, 1, 1, 1, 1]);
      expect(kept).to.equal(4);
    });

    it('exactTies: ties at the threshold are kept by ascending flat index until exactly k survive', () => {
      const { mask, threshold, kept } = maskOf([1, 2, -2, 2, 3], 0.6, true);
      expect(threshold).to.equal(2);
      expect(mask).to.deep.equal([0, 1, 0, 0, 1]);
      expect(kept).to.equal(2);
    });

    it('exactTies on all-equal weights prunes exactly n - k, keeping the first k', () => {
      const { mask, kept } = maskOf(new Float32Array(10).fill(0.25), 0.7, true);
      expect(kept).to.equal(3);
      expect(mask).to.deep.equal([1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
      expect(maskOf(new Float32Array(10).fill(0.25), 0.7, false).kept).to.equal(10);
    });

    it('exactTies realises the exact sparsity on heavily tied random kernels and keeps the magnitude order', () => {
      const rand = mulberry32(11);
      const values = Float32Array.from({ length: 4099 }, () => Math.round((rand() * 2 - 1) * 8) / 8);
      for (const sparsity of [0.1, 0.37, 0.5, 0.9]) {
        const k = keptCount(values.length, sparsity);
        const { mask, threshold, kept } = maskOf(values, sparsity, true);
        expect(kept).to.equal(k);
        expect(mask.reduce((a, b) => a + b, 0)).to.equal(k);
        let lastKeptTie = -1;
        let firstPrunedTie = Infinity;
        for (let i = 0; i < values.length; i++) {
          const a = Math.abs(values[i]);
          if (a > threshold) expect(mask[i]).to.equal(1);
          if (a < threshold) expect(mask[i]).to.equal(0);
          if (a === threshold && mask[i] === 1) lastKeptTie = i;
          if (a === threshold && mask[i] === 0) firstPrunedTie = Math.min(firstPrunedTie, i);
        }
        expect(lastKeptTie).to.be.below(firstPrunedTie);
        // The parity mode keeps strictly more here, which is why exactTies exists.
        expect(maskOf(values, sparsity, false).kept).to.be.above(k);
      }
    });
  });

  it('agrees with a sort-based reference on random kernels (distinct, tied, zero-heavy)', () => {
    const rand = mulberry32(5);
    const kinds: Array<(n: number) => Float32Array> = [
      (n) => Float32Array.from({ length: n }, () => rand() * 2 - 1),
      (n) => Float32Array.from({ length: n }, () => Math.round(rand() * 6 - 3)),
      (n) => Float32Array.from({ length: n }, () => (rand() < 0.7 ? 0 : rand() - 0.5)),
    ];
    for (const make of kinds) {
      for (const n of [1, 7, 64, 1000, 20_001]) {
        const values = make(n);
        for (const sparsity of [0, 0.25, 0.5, 0.8, 0.95, 0.9999]) {
          const expected = referenceMask(values, sparsity);
          const actual = maskOf(values, sparsity);
          expect(actual.threshold, `n=${n}, s=${sparsity}`).to.equal(expected.threshold);
          expect(actual.mask, `n=${n}, s=${sparsity}`).to.deep.equal(expected.mask);
        }
      }
    }
  });

  it('keeps the weight shape and dtype float32 for a Conv2D kernel', () => {
    const w = tf.randomNormal([3, 3, 4, 8], 0, 1, 'float32', 1);
    const { mask, kept } = magnitudeMask(w, 0.75);
    expect(mask.shape).to.deep.equal([3, 3, 4, 8]);
    expect(mask.dtype).to.equal('float32');
    expect(kept).to.equal(72);
    expect(tf.sum(mask).dataSync()[0]).to.equal(72);
    tf.dispose([w, mask]);
  });

  it('returns an empty mask for an empty tensor', () => {
    const w = tf.zeros([0, 4]);
    const { mask, threshold, kept } = magnitudeMask(w, 0.5);
    expect(mask.shape).to.deep.equal([0, 4]);
    expect([threshold, kept]).to.deep.equal([0, 0]);
    tf.dispose([w, mask]);
  });

  it('leaks no tensors, on success and on error', () => {
    const w = tf.randomUniform([50, 40], -1, 1, 'float32', 2);
    const result = withoutLeaks(() => magnitudeMask(w, 0.6, { exactTies: true }), (r) => [r.mask]);
    result.mask.dispose();
    const bad = tf.tensor1d([1, NaN, 2]);
    const before = tf.memory().numTensors;
    expect(() => magnitudeMask(bad, 0.5)).to.throw(RangeError);
    expect(tf.memory().numTensors).to.equal(before);
    tf.dispose([w, bad]);
  });

  describe('bad input', () => {
    it('rejects NaN weights, naming the weight, the count and the first index', () => {
      const w = tf.tensor2d([[1, 2], [NaN, NaN]]);
      const error = thrown(() => magnitudeMask(w, 0.5, { label: 'dense/kernel' }));
      expect(error).to.be.instanceOf(RangeError);
      expect(error.message).to.match(/^magnitudeMask\(dense\/kernel\): weights of shape \[2, 2\] contain 2 NaN value\(s\), the first at flat index 2/);
      w.dispose();
    });

    it('rejects a sparsity outside [0, 1]', () => {
      const w = tf.tensor1d([1, 2, 3]);
      expect(() => magnitudeMask(w, 1.2, { label: 'k' })).to.throw(RangeError, 'magnitudeMask(k): sparsity must be a number in [0, 1], received 1.2');
      expect(() => magnitudeMask(w, NaN)).to.throw(RangeError, 'magnitudeMask(weights): sparsity must be a number in [0, 1], received NaN');
      // 1 is allowed and, like TFMOT's max(k, 1), keeps one weight.
      const { mask, kept } = magnitudeMask(w, 1);
      expect(kept).to.equal(1);
      expect(Array.from(mask.dataSync())).to.deep.equal([0, 0, 1]);
      tf.dispose([w, mask]);
    });

    it('rejects non-float32 and disposed tensors', () => {
      const ints = tf.tensor1d([1, 2, 3], 'int32');
      expect(() => magnitudeMask(ints, 0.5)).to.throw(TypeError, 'magnitudeMask(weights): weights must be float32, received a tensor of dtype int32');
      ints.dispose();
      const gone = tf.tensor1d([1, 2, 3]);
      gone.dispose();
      expect(() => magnitudeMask(gone, 0.5)).to.throw(TypeError, /weights tensor of shape \[3\] is already disposed/);
    });
  });
});
