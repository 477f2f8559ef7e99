import { expect } from 'chai';
import { SeededRandom } from '../../../core/src/util/SeededRandom';
import { CentroidInitialization, initializeCentroids } from '../../../plugins/src/clustering/CentroidInitialization';
import { clusteredValues } from '../../../plugins/src/clustering/clusteredValues';
import { clusterPerChannel } from '../../../plugins/src/clustering/clusterPerChannel';
import { clusterWeights } from '../../../plugins/src/clustering/clusterWeights';
import { densityCentroids } from '../../../plugins/src/clustering/densityCentroids';
import { kmeansPlusPlusCentroids } from '../../../plugins/src/clustering/kmeansPlusPlusCentroids';
import { linearCentroids } from '../../../plugins/src/clustering/linearCentroids';
import { randomCentroids } from '../../../plugins/src/clustering/randomCentroids';
import { bruteAssign, normalWeights, sse } from './helpers';

const F = (a: number[]) => Float32Array.from(a);

describe('clusterWeights', () => {
  for (const method of Object.values(CentroidInitialization)) {
    it(`${method}: assignment is nearest-centroid, at most k distinct clustered values`, () => {
      const w = normalWeights(3000, 1);
      const r = clusterWeights(w, 16, { method, random: new SeededRandom(1) });
      expect(r.centroids).to.have.length(16);
      expect(Array.from(r.assignment)).to.deep.equal(Array.from(bruteAssign(w, r.centroids)));
      expect(new Set(clusteredValues(r.centroids, r.assignment)).size).to.be.at.most(16);
      expect(r.refineIterations).to.equal(0);
    });
  }

  it('refinement lowers the error of every init, and the init alone matches initializeCentroids', () => {
    const w = normalWeights(3000, 2);
    for (const method of Object.values(CentroidInitialization)) {
      const plain = clusterWeights(w, 8, { method, random: new SeededRandom(2) });
      expect(Array.from(plain.centroids)).to.deep.equal(
        Array.from(initializeCentroids(w, 8, { method, random: new SeededRandom(2) })),
      );
      const refined = clusterWeights(w, 8, { method, random: new SeededRandom(2), refineIterations: 50 });
      expect(refined.refineIterations).to.be.above(0);
      expect(sse(w, refined.centroids), method).to.be.below(sse(w, plain.centroids));
    }
  });

  it('sparsity-preserving refinement keeps one exact zero centroid that owns all zeros', () => {
    const w = normalWeights(4000, 3);
    for (let i = 1; i < w.length; i += 2) w[i] = 0;
    const r = clusterWeights(w, 16, { preserveSparsity: true, random: new SeededRandom(3), refineIterations: 20 });
    const zeros = Array.from(r.centroids).flatMap((v, j) => (v === 0 ? [j] : []));
    expect(zeros).to.have.length(1);
    for (let i = 1; i < w.length; i += 2) expect(r.assignment[i]).to.equal(zeros[0]);
  });
});

describe('clusterWeights / clusterPerChannel with assign: false', () => {
  it('give the same centroids without the assignment (what the plugin needs at session start)', () => {
    const w = normalWeights(3000, 9, 0.1);
    for (const method of ['kmeans++', 'linear', 'density', 'random'] as const) {
      const full = clusterWeights(w, 12, { method, random: new SeededRandom(4), refineIterations: 2 });
      const lean = clusterWeights(w, 12, { method, random: new SeededRandom(4), refineIterations: 2, assign: false });
      expect(Array.from(lean.centroids), method).to.deep.equal(Array.from(full.centroids));
      expect(lean.refineIterations, method).to.equal(full.refineIterations);
      expect(lean.assignment.length, method).to.equal(0);
      expect(full.assignment.length, method).to.equal(3000);
    }
    const perChannel = (assign: boolean) => clusterPerChannel(normalWeights(3 * 3 * 4 * 6, 2, 0.1), [3, 3, 4, 6], 5, { random: new SeededRandom(7), assign });
    expect(Array.from(perChannel(false).centroids)).to.deep.equal(Array.from(perChannel(true).centroids));
    expect(perChannel(false).assignment.length).to.equal(0);
  });
});

describe('bad inputs get clear errors naming the argument and value', () => {
  const w = F([0.5, -1, 2, 3]);
  const random = new SeededRandom(0);
  const everyEntry: [string, (w: Float32Array, k: number) => unknown][] = [
    ['initializeCentroids', (x, k) => initializeCentroids(x, k, { method: 'linear' })],
    ['clusterWeights', (x, k) => clusterWeights(x, k, { method: 'density' })],
    ['linearCentroids', (x, k) => linearCentroids(x, k)],
    ['densityCentroids', (x, k) => densityCentroids(x, k)],
    ['randomCentroids', (x, k) => randomCentroids(x, k, { random })],
    ['kmeansPlusPlusCentroids', (x, k) => kmeansPlusPlusCentroids(x, k, { random })],
  ];
  for (const [name, run] of everyEntry) {
    it(`${name}: k < 1, non-integer k, k > n, NaN/Infinity, empty`, () => {
      expect(() => run(w, 0)).to.throw(RangeError, /k \(number of clusters\) must be an integer >= 1, got 0/);
      expect(() => run(w, -3)).to.throw(RangeError, /got -3/);
      expect(() => run(w, 2.5)).to.throw(RangeError, /got 2.5/);
      expect(() => run(w, NaN)).to.throw(RangeError, /got NaN/);
      expect(() => run(w, 5)).to.throw(RangeError, /k \(number of clusters\) = 5 exceeds the number of values \(4\) in weights/);
      expect(() => run(F([0.5, NaN, 1]), 1)).to.throw(RangeError, /weights\[1\] is NaN; clustering needs finite weights/);
      expect(() => run(F([0.5, 1, -Infinity]), 1)).to.throw(RangeError, /weights\[2\] is -Infinity/);
      expect(() => run(F([]), 1)).to.throw(RangeError, /weights is empty/);
      expect(() => run([1, 2, 3] as never, 1)).to.throw(TypeError, /weights must be a Float32Array, got Array/);
    });
  }

  it('k above the number of distinct values (or distinct non-zeros with sparsity)', () => {
    const dup = F([1, 1, 2, 2, 0, 0]);
    expect(() => initializeCentroids(dup, 4, { method: 'linear' })).to.throw(
      RangeError,
      /k \(number of clusters\) = 4 exceeds the number of distinct values \(3\) in weights; use k <= 3/,
    );
    expect(() => clusterWeights(dup, 4, { random })).to.throw(RangeError, /distinct values \(3\)/);
    expect(() => initializeCentroids(dup, 4, { method: 'linear', preserveSparsity: true })).to.throw(
      RangeError,
      /k \(number of clusters\) = 4 needs 3 distinct non-zero values besides the pinned zero centroid, but there are only 2 in weights; use k <= 3/,
    );
    expect(initializeCentroids(dup, 3, { method: 'linear', preserveSparsity: true })).to.have.length(3);
  });

  it('clusterWeights validates refineIterations', () => {
    expect(() => clusterWeights(w, 2, { method: 'linear', refineIterations: -1 })).to.throw(
      RangeError,
      /options.refineIterations must be an integer >= 0, got -1/,
    );
  });
});
