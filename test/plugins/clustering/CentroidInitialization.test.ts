import { expect } from 'chai';
import { SeededRandom } from '../../../core/src/util/SeededRandom';
import {
  CentroidInitialization,
  initializeCentroids,
} from '../../../plugins/src/clustering/CentroidInitialization';
import { densityCentroids } from '../../../plugins/src/clustering/densityCentroids';
import { linearCentroids } from '../../../plugins/src/clustering/linearCentroids';
import { randomCentroids } from '../../../plugins/src/clustering/randomCentroids';
import { tfLinspace } from '../../../plugins/src/clustering/tfLinspace';
import { assignToNearest } from '../../../plugins/src/clustering/assignToNearest';
import { normalWeights } from './helpers';

const F = (a: number[]) => Float32Array.from(a);
const A = [0, 1, 2, 3, 3.1, 3.2, 3.3, 3.4, 3.5];
const B = [-3, -2, -1, 0, 1.1, 2.2, 3.3, 4.4, 5.5, 6.6, 7.7, 8.8, 9];
const rng = () => new SeededRandom(2024);

/** Within `ulps` float32 steps of the golden (TFMOT's linear goldens are 4-7 digit decimals). */
function expectFloat32Close(got: Float32Array, golden: number[], ulps: number): void {
  expect(got.length).to.equal(golden.length);
  got.forEach((g, i) => {
    const e = Math.fround(golden[i]);
    const ulp = Math.max(Math.abs(e) * 2 ** -23, 2 ** -126);
    expect(Math.abs(g - e), `centroid ${i}: ${g} vs golden ${golden[i]}`).to.be.at.most(ulps * ulp);
  });
}

describe('centroid initialisation (TFMOT goldens)', () => {
  describe('LINEAR', () => {
    const cases: [number[], number, number[]][] = [
      [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5, [0, 2.5, 5, 7.5, 10]],
      [A, 3, [0, 1.75, 3.5]],
      [B, 6, [-3, -0.6, 1.8, 4.2, 6.6, 9]],
    ];
    for (const [w, k, golden] of cases) {
      it(`k=${k} on [${w[0]}..${w[w.length - 1]}] → [${golden}]`, () => {
        expectFloat32Close(linearCentroids(F(w), k), golden, 4);
        expectFloat32Close(initializeCentroids(F(w), k, { method: 'linear' }), golden, 4);
      });
    }

    const sparse: [number[], number, number[]][] = [
      [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5, [0, 1, 4, 7, 10]],
      [A, 3, [0, 1, 3.5]],
      [B, 6, [-3, 0, 1.1, 3.7333333, 6.366666, 9]],
    ];
    for (const [w, k, golden] of sparse) {
      it(`sparsity-preserving k=${k} → [${golden}]`, () => {
        const c = initializeCentroids(F(w), k, { method: 'linear', preserveSparsity: true });
        expectFloat32Close(c, golden, 4);
        expect(Array.from(c).filter((v) => v === 0)).to.have.length(1);
      });
    }

    it('k = 1 gives [min], as tf.linspace(min, max, 1)', () => {
      expect(Array.from(linearCentroids(F([4, -2, 7]), 1))).to.deep.equal([-2]);
    });
  });

  describe('DENSITY_BASED (bit-exact, including TF float32 rounding)', () => {
    const cases: [number[], number, number[]][] = [
      [A, 5, [0.11137931, 2.0534482, 3.145862, 3.3886206, 3.51]],
      [A, 3, [0.11137931, 3.145862, 3.51]],
      [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 3, [0.3010345, 5.2775865, 9.01]],
    ];
    for (const [w, k, golden] of cases) {
      it(`k=${k} → [${golden}]`, () => {
        expect(Array.from(densityCentroids(F(w), k))).to.deep.equal(Array.from(F(golden)));
        expect(Array.from(initializeCentroids(F(w), k, { method: 'density' }))).to.deep.equal(
          Array.from(F(golden)),
        );
      });
    }

    const sparse: [number[], number, number[]][] = [
      [[0, -1, -2, -3, -4, -5, -6], 4, [-5.836897, -2.8941379, -0.98999995, 0]],
      [[0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 5, [0, 1.2665517, 4.032069, 7.0741386, 9.01]],
      [[-4, -3, -2, -1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7], 6, [-3.9058623, -0.99, 0, 1.1975863, 4.103793, 7.01]],
      [[0, 1, 2, 3, -3.1, -3.2, -3.3, -0.005, 3.5], 3, [-3.1887069, 0, 1.0768965]],
    ];
    for (const [w, k, golden] of sparse) {
      it(`sparsity-preserving k=${k} → [${golden}]`, () => {
        const c = initializeCentroids(F(w), k, { method: 'density', preserveSparsity: true });
        expect(Array.from(c)).to.deep.equal(Array.from(F(golden)));
      });
    }

    it('repeats grid points when k exceeds the 30-point grid, as TFMOT does', () => {
      const c = densityCentroids(normalWeights(2000, 1), 64);
      expect(c).to.have.length(64);
      expect(new Set(c).size).to.be.at.most(30);
      for (let i = 1; i < c.length; i++) expect(c[i]).to.be.at.least(c[i - 1]);
    });

    it('validates the gap option', () => {
      expect(() => densityCentroids(F(A), 2, { gap: -1 })).to.throw(RangeError, /options.gap.*-1/);
    });
  });

  describe('tfLinspace', () => {
    it('reproduces float32 linspace with exact end points', () => {
      const x = tfLinspace(-0.01, 3.51, 30);
      expect(x[0]).to.equal(Math.fround(-0.01));
      expect(x[29]).to.equal(Math.fround(3.51));
      expect(x[1]).to.equal(Math.fround(0.11137931));
      expect(Array.from(tfLinspace(2, 5, 1))).to.deep.equal([2]);
      expect(tfLinspace(0, 1, 0)).to.have.length(0);
      expect(() => tfLinspace(0, 1, -1)).to.throw(RangeError, /num.*-1/);
    });
  });

  describe('RANDOM', () => {
    it('draws k values in [min, max), reproducibly per seed', () => {
      const w = normalWeights(1000, 3);
      const a = randomCentroids(w, 16, { random: new SeededRandom(1) });
      const b = randomCentroids(w, 16, { random: new SeededRandom(1) });
      const c = randomCentroids(w, 16, { random: new SeededRandom(2) });
      expect(Array.from(a)).to.deep.equal(Array.from(b));
      expect(Array.from(a)).to.not.deep.equal(Array.from(c));
      let min = Infinity;
      let max = -Infinity;
      for (const v of w) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      for (const v of a) expect(v).to.be.at.least(min).and.below(max);
    });

    for (const [w, k] of [
      [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5],
      [A, 3],
      [B, 6],
    ] as [number[], number][]) {
      it(`sparsity-preserving k=${k} contains exactly one 0 and keeps each side's sign`, () => {
        const c = initializeCentroids(F(w), k, { method: 'random', preserveSparsity: true, random: rng() });
        expect(c).to.have.length(k);
        const zeros = Array.from(c).filter((v) => v === 0);
        expect(zeros).to.have.length(1);
        const z = Array.from(c).indexOf(0);
        for (let i = 0; i < z; i++) expect(c[i]).to.be.below(0);
        for (let i = z + 1; i < k; i++) expect(c[i]).to.be.above(0);
      });
    }
  });

  describe('sparsity preservation', () => {
    const pruned = (() => {
      const w = normalWeights(4000, 9);
      for (let i = 0; i < w.length; i += 2) w[i] = 0; // 50% zeros
      return w;
    })();

    for (const method of Object.values(CentroidInitialization)) {
      it(`${method}: exactly one centroid is 0, zeros are assigned to it`, () => {
        const c = initializeCentroids(pruned, 16, { method, preserveSparsity: true, random: rng() });
        expect(c).to.have.length(16);
        const zeroIdx = Array.from(c).flatMap((v, i) => (v === 0 ? [i] : []));
        expect(zeroIdx).to.have.length(1);
        expect(Object.is(c[zeroIdx[0]], 0)).to.equal(true);
        const a = assignToNearest(pruned, c);
        for (let i = 0; i < pruned.length; i += 2) expect(a[i]).to.equal(zeroIdx[0]);
      });
    }

    it('splits k - 1 by the sign ratio with round-half-to-even (TF round)', () => {
      // 3 negatives (one distinct value), 3 positives, k - 1 = 3 → 1.5 → 2 (half to even) for
      // the negatives; they have only 1 distinct value, so the surplus moves to the positives
      // (TFMOT would return the duplicate [-1, -1]).
      const w = F([-1, -1, -1, 0, 1, 2, 3]);
      expect(Array.from(initializeCentroids(w, 4, { method: 'linear', preserveSparsity: true }))).to.deep.equal([-1, 0, 1, 3]);
      // 2 negatives, 2 positives, k - 1 = 1 → 0.5 → rounds to 0 (half to even): all positive.
      const v = F([-2, -1, 0, 1, 2]);
      expect(Array.from(initializeCentroids(v, 2, { method: 'linear', preserveSparsity: true }))).to.deep.equal([0, 1]);
      // 6 negatives, 2 positives, k - 1 = 2 → 1.5 → 2 negatives, 0 positives.
      const u = F([-6, -5, -4, -3, -2, -1, 0, 1, 2]);
      expect(Array.from(initializeCentroids(u, 3, { method: 'linear', preserveSparsity: true }))).to.deep.equal([-6, -1, 0]);
    });

    it('k = 1 gives [0]; all-zero weights only allow k = 1', () => {
      expect(Array.from(initializeCentroids(F([1, 2, 0]), 1, { method: 'linear', preserveSparsity: true }))).to.deep.equal([0]);
      expect(Array.from(initializeCentroids(F([0, 0, 0, 0]), 1, { method: 'density', preserveSparsity: true }))).to.deep.equal([0]);
      expect(() => initializeCentroids(F([0, 0, 0, 0]), 2, { method: 'density', preserveSparsity: true })).to.throw(
        RangeError,
        /k \(number of clusters\) = 2 needs 1 distinct non-zero values.*only 0/,
      );
    });

    it('pins a zero centroid even when the weights have no zeros (the caller decides per call)', () => {
      const w = normalWeights(500, 4);
      const withZero = initializeCentroids(w, 8, { method: 'kmeans++', preserveSparsity: true, random: rng() });
      const without = initializeCentroids(w, 8, { method: 'kmeans++', random: rng() });
      expect(Array.from(withZero).filter((v) => v === 0)).to.have.length(1);
      expect(Array.from(without).filter((v) => v === 0)).to.have.length(0);
      // A later call without preserveSparsity is unaffected by an earlier call with it.
      expect(Array.from(initializeCentroids(w, 8, { method: 'kmeans++', random: rng() }))).to.deep.equal(Array.from(without));
    });
  });

  describe('dispatcher', () => {
    it('defaults to kmeans++', () => {
      const w = normalWeights(300, 5);
      expect(Array.from(initializeCentroids(w, 5, { random: rng() }))).to.deep.equal(
        Array.from(initializeCentroids(w, 5, { method: 'kmeans++', random: rng() })),
      );
    });

    it('rejects unknown methods, listing the allowed ones', () => {
      expect(() => initializeCentroids(F(A), 2, { method: 'DEADBEEF' as never })).to.throw(
        RangeError,
        /Unknown centroid initialisation method "DEADBEEF"; allowed: 'linear', 'random', 'density', 'kmeans\+\+'/,
      );
    });

    it('requires a random source for random methods', () => {
      expect(() => initializeCentroids(F(A), 2, { method: 'random' })).to.throw(TypeError, /options.random is required/);
      expect(() => initializeCentroids(F(A), 2)).to.throw(TypeError, /kmeans\+\+.*options.random is required/);
    });
  });
});
