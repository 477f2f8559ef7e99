import { expect } from 'chai';
import { SeededRandom } from '../../../core/src/util/SeededRandom';
import { SortedWeights } from '../../../plugins/src/clustering/SortedWeights';
import { normalWeights } from './helpers';

describe('SortedWeights', () => {
  it('sorts like the native typed-array sort (radix path, negatives, ±0, duplicates)', () => {
    const r = new SeededRandom(1);
    const w = new Float32Array(50000);
    for (let i = 0; i < w.length; i++) {
      const t = r.int(0, 10);
      w[i] = t === 0 ? 0 : t === 1 ? -0 : t === 2 ? r.int(-3, 4) : r.normal(0, 10) * 10 ** r.int(-30, 30);
    }
    const copy = Float32Array.from(w);
    const s = SortedWeights.from(w);
    expect(Array.from(w)).to.deep.equal(Array.from(copy)); // input untouched
    const native = Float32Array.from(w).sort();
    for (let i = 0; i < w.length; i++) {
      if (!Object.is(s.values[i], native[i])) expect.fail(`position ${i}: ${s.values[i]} vs ${native[i]}`);
    }
  });

  it('sum, mean and squaredDistanceSum match direct computation on any range', () => {
    const w = normalWeights(10000, 2);
    const s = SortedWeights.from(w);
    const v = s.values;
    const r = new SeededRandom(3);
    for (let t = 0; t < 300; t++) {
      let lo = r.int(0, v.length);
      let hi = r.int(0, v.length + 1);
      if (lo > hi) [lo, hi] = [hi, lo];
      if (t % 3 === 0) hi = Math.min(v.length, lo + r.int(1, 70)); // short runs too
      const c = r.normal(0, 0.05);
      let sum = 0;
      let sq = 0;
      for (let i = lo; i < hi; i++) {
        sum += v[i];
        sq += (v[i] - c) ** 2;
      }
      expect(s.sum(lo, hi)).to.be.closeTo(sum, 1e-9);
      expect(s.squaredDistanceSum(lo, hi, c)).to.be.closeTo(sq, 1e-9 + 1e-9 * sq);
      if (hi > lo) expect(Math.fround(s.mean(lo, hi))).to.equal(Math.fround(sum / (hi - lo)));
    }
  });

  it('slices share values and sums with their parent', () => {
    const w = normalWeights(9000, 4);
    const s = SortedWeights.from(w);
    const zero = s.lowerBound(0);
    const neg = s.slice(0, zero);
    const pos = s.slice(zero, s.length);
    expect(neg.length + pos.length).to.equal(s.length);
    for (const v of neg.values) expect(v).to.be.below(0);
    expect(neg.sum(0, neg.length) + pos.sum(0, pos.length)).to.be.closeTo(s.sum(0, s.length), 1e-9);
    expect(pos.mean(10, 200)).to.equal(s.mean(zero + 10, zero + 200));
    expect(() => s.slice(5, 2)).to.throw(RangeError, /need 0 <= lo <= hi <= 9000, got \[5, 2\)/);
  });

  it('bounds and distinct counting', () => {
    const s = SortedWeights.fromSorted(Float32Array.from([1, 2, 2, 2, 3]));
    expect(s.lowerBound(2)).to.equal(1);
    expect(s.upperBound(2)).to.equal(4);
    expect(s.countDistinct()).to.equal(3);
    expect(s.countDistinct(2)).to.equal(2);
    expect(() => SortedWeights.fromSorted(Float32Array.from([1, 3, 2]))).to.throw(RangeError, /values\[1\] = 3 > values\[2\] = 2/);
  });
});
