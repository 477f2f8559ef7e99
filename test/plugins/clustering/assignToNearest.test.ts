import { expect } from 'chai';
import { SeededRandom } from '../../../core/src/util/SeededRandom';
import { assignToNearest } from '../../../plugins/src/clustering/assignToNearest';
import { CentroidBoundaries } from '../../../plugins/src/clustering/CentroidBoundaries';
import { clusteredValues } from '../../../plugins/src/clustering/clusteredValues';
import { bruteAssign, normalWeights } from './helpers';

const F = (a: number[]) => Float32Array.from(a);

function expectSameAsBrute(w: Float32Array, c: ArrayLike<number>, label: string): void {
  const fast = assignToNearest(w, c);
  const brute = bruteAssign(w, c);
  for (let i = 0; i < w.length; i++) {
    if (fast[i] !== brute[i]) {
      expect.fail(`${label}: weights[${i}] = ${w[i]} → ${fast[i]} (${c[fast[i]]}), brute force ${brute[i]} (${c[brute[i]]})`);
    }
  }
}

describe('assignToNearest', () => {
  it('equals brute-force nearest centroid on random data for many k', () => {
    const r = new SeededRandom(1);
    const w = normalWeights(20000, 2);
    for (const k of [1, 2, 3, 7, 16, 64, 257, 3000]) {
      const c = new Float32Array(k);
      for (let j = 0; j < k; j++) c[j] = r.normal(0, 0.06);
      expectSameAsBrute(w, c, `k=${k}`);
    }
  });

  it('equals brute force with centroids drawn from the data (zero-distance weights)', () => {
    const r = new SeededRandom(3);
    const w = normalWeights(5000, 4);
    const c = Float32Array.from({ length: 40 }, () => w[r.int(0, w.length)]);
    expectSameAsBrute(w, c, 'data centroids');
  });

  it('breaks exact ties towards the smaller original index (tf.argmin), in both directions', () => {
    // Integer centroids in shuffled order; every half-integer weight is an exact tie.
    const r = new SeededRandom(5);
    for (let trial = 0; trial < 20; trial++) {
      const c = r.shuffle(F([0, 1, 2, 3, 4, 5, 6, 7]));
      const w = new Float32Array(33);
      for (let i = 0; i < w.length; i++) w[i] = -0.5 + i * 0.25;
      expectSameAsBrute(w, c, `order ${Array.from(c)}`);
    }
    // Explicitly: 1.5 is halfway between 1 and 2.
    expect(Array.from(assignToNearest(F([1.5]), F([1, 2])))).to.deep.equal([0]);
    expect(Array.from(assignToNearest(F([1.5]), F([2, 1])))).to.deep.equal([0]);
    expect(Array.from(assignToNearest(F([1.5]), F([5, 2, 1])))).to.deep.equal([1]);
  });

  it('gives duplicated centroid values to their smallest index; -0 equals 0', () => {
    const c = F([3, 1, 3, 1, -0, 0]);
    const w = F([1, 3, 2.9, 0.9, 0, -0, 0.1]);
    expect(Array.from(assignToNearest(w, c))).to.deep.equal([1, 0, 0, 1, 4, 4, 4]);
    expectSameAsBrute(w, c, 'duplicates');
  });

  it('equals brute force with heavy ties and duplicates on a coarse grid', () => {
    const r = new SeededRandom(6);
    const w = Float32Array.from({ length: 4000 }, () => r.int(-40, 41) / 8);
    for (let trial = 0; trial < 10; trial++) {
      const c = Float32Array.from({ length: 1 + r.int(0, 30) }, () => r.int(-20, 21) / 4);
      expectSameAsBrute(w, c, `trial ${trial}`);
    }
  });

  it('handles centroids with very uneven spacing (outliers) and weights outside their range', () => {
    const c = F([0, 1e-3, 2e-3, 2.5e-3, 1e6, -1e6, 3e-3, 3.5e-3]);
    const w = F([-2e6, -5e5, -1, 0, 1e-4, 6e-4, 1.4e-3, 2.25e-3, 3.4e-3, 1, 5e5, 2e6]);
    expectSameAsBrute(w, c, 'outliers');
    expectSameAsBrute(normalWeights(5000, 7, 1e-3), c, 'outliers, dense data');
  });

  it('uses the out buffer and returns it', () => {
    const out = new Int32Array(3);
    const res = assignToNearest(F([0, 5, 10]), F([10, 0]), out);
    expect(res).to.equal(out);
    expect(Array.from(out)).to.deep.equal([1, 0, 0]); // 5 is a tie: index 0 wins
    expect(() => assignToNearest(F([0, 1]), F([0]), new Int32Array(1))).to.throw(RangeError, /out has length 1, expected 2/);
  });

  it('rejects NaN/Infinity weights and centroids, naming the index', () => {
    expect(() => assignToNearest(F([0, 1, NaN]), F([0, 1]))).to.throw(RangeError, /weights\[2\] is NaN/);
    expect(() => assignToNearest(F([Infinity]), F([0]))).to.throw(RangeError, /weights\[0\] is Infinity/);
    expect(() => assignToNearest(F([0]), F([0, NaN]))).to.throw(RangeError, /centroids\[1\] is NaN/);
    expect(() => assignToNearest(F([0]), F([]))).to.throw(RangeError, /centroids is empty/);
  });
});

describe('CentroidBoundaries', () => {
  it('bucket-table assignment agrees with binary-search locate(), also at thresholds and with uneven spacing', () => {
    const r = new SeededRandom(8);
    for (const c of [
      Float32Array.from({ length: 100 }, () => r.normal(0, 1) ** 3), // dense middle, sparse tails
      Float32Array.from([...Array.from({ length: 200 }, (_, i) => i * 1e-6), 1e4]), // one far outlier
      F([1, 1, 1]),
      F([0, 1]),
    ]) {
      const b = new CentroidBoundaries(c);
      const xs = Float32Array.from({ length: 20000 }, () => r.normal(0, 2) * (r.float() < 0.5 ? 1e-4 : 1));
      const edges = Float32Array.from(b.thresholds); // float32 neighbours of every threshold
      const all = Float32Array.from([...xs, ...edges, ...b.sortedValues]);
      const a = assignToNearest(all, c);
      for (let i = 0; i < all.length; i++) {
        if (a[i] !== b.originalIndex[b.locate(all[i])]) expect.fail(`x = ${all[i]}`);
      }
    }
  });

  it('boundaryIndex() splits sorted data like locate()', () => {
    const c = F([2, 0, 1, 1]);
    const b = new CentroidBoundaries(c);
    const s = F([-1, 0, 0.5, 0.5, 0.7, 1, 1.5, 1.5, 2, 3]);
    for (let j = 0; j < b.thresholds.length; j++) {
      const idx = b.boundaryIndex(s, j, 0, s.length);
      for (let i = 0; i < s.length; i++) expect(b.locate(s[i]) > j).to.equal(i >= idx);
    }
  });
});

describe('clusteredValues', () => {
  it('is centroids[assignment]', () => {
    const c = F([0.5, -1, 2]);
    const w = normalWeights(1000, 9, 1);
    const a = assignToNearest(w, c);
    const v = clusteredValues(c, a);
    for (let i = 0; i < w.length; i++) expect(v[i]).to.equal(c[a[i]]);
    expect(new Set(v).size).to.be.at.most(3);
  });

  it('rejects out-of-range indices', () => {
    expect(() => clusteredValues(F([1, 2]), Int32Array.from([0, 2]))).to.throw(
      RangeError,
      /assignment\[1\] = 2 is not a valid index into 2 centroids/,
    );
  });
});
