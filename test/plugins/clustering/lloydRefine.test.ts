import { expect } from 'chai';
import { SeededRandom } from '../../../core/src/util/SeededRandom';
import { assignToNearest } from '../../../plugins/src/clustering/assignToNearest';
import { initializeCentroids } from '../../../plugins/src/clustering/CentroidInitialization';
import { kmeansPlusPlusCentroids } from '../../../plugins/src/clustering/kmeansPlusPlusCentroids';
import { linearCentroids } from '../../../plugins/src/clustering/linearCentroids';
import { lloydRefine } from '../../../plugins/src/clustering/lloydRefine';
import { SortedWeights } from '../../../plugins/src/clustering/SortedWeights';
import { bruteAssign, multiModal, normalWeights, sse } from './helpers';

const F = (a: number[]) => Float32Array.from(a);

/** One naive Lloyd step: brute-force assignment, float32 mean per cluster; empty ones stay. */
function naiveStep(w: Float32Array, c: Float32Array): Float32Array {
  const a = bruteAssign(w, c);
  const sum = new Float64Array(c.length);
  const cnt = new Float64Array(c.length);
  for (let i = 0; i < w.length; i++) {
    sum[a[i]] += w[i];
    cnt[a[i]]++;
  }
  return c.map((v, j) => (cnt[j] > 0 ? Math.fround(sum[j] / cnt[j]) : v));
}

describe('lloydRefine', () => {
  it('each iteration equals a naive O(n·k) Lloyd step', () => {
    const w = normalWeights(3000, 1);
    let c = kmeansPlusPlusCentroids(w, 12, { random: new SeededRandom(1) });
    const sorted = SortedWeights.from(w);
    for (let it = 0; it < 8; it++) {
      const fast = lloydRefine(sorted, c, { maxIterations: 1 }).centroids;
      const naive = naiveStep(w, c);
      fast.forEach((v, j) => {
        const tol = 2 * Math.abs(naive[j]) * 2 ** -23; // one float32 ulp of rounding slack
        expect(Math.abs(v - naive[j]), `iteration ${it}, centroid ${j}`).to.be.at.most(tol);
      });
      c = fast;
    }
  });

  it('never increases the within-cluster error, and reaches a fixed point', () => {
    const w = normalWeights(5000, 2);
    const init = linearCentroids(w, 16); // a poor start, so there is much to improve
    const errors = [sse(w, init)];
    const sorted = SortedWeights.from(w);
    let last = init;
    for (let t = 1; t <= 300; t++) {
      const r = lloydRefine(sorted, init, { maxIterations: t });
      errors.push(sse(w, r.centroids));
      last = r.centroids;
      if (r.converged) break;
    }
    for (let t = 1; t < errors.length; t++) {
      expect(errors[t], `iteration ${t}`).to.be.at.most(errors[t - 1] * (1 + 1e-12));
    }
    expect(errors[errors.length - 1]).to.be.below(errors[0] * 0.9);
    // Fixed point: another iteration moves nothing, and each centroid is its cluster's mean.
    const again = lloydRefine(w, last, { maxIterations: 5 });
    expect(again.converged).to.equal(true);
    expect(again.iterations).to.equal(1);
    expect(Array.from(again.centroids)).to.deep.equal(Array.from(last));
    const a = assignToNearest(w, last);
    for (let j = 0; j < last.length; j++) {
      let s = 0;
      let n = 0;
      for (let i = 0; i < w.length; i++) {
        if (a[i] === j) {
          s += w[i];
          n++;
        }
      }
      if (n > 0) expect(last[j]).to.equal(Math.fround(s / n));
    }
  });

  it('finds the modes of separable data', () => {
    const modes = [-1, 0.5, 3];
    const w = multiModal(modes, 300, 0.01, 3);
    const r = lloydRefine(w, F([-2, -1.9, 10]), { maxIterations: 50 });
    expect(r.converged).to.equal(true);
    const c = Array.from(r.centroids).sort((a, b) => a - b);
    c.forEach((v, j) => expect(v).to.be.closeTo(modes[j], 0.01));
  });

  it('re-seeds empty clusters (far-away and duplicated centroids) so all k are used', () => {
    const w = normalWeights(2000, 4, 1);
    const r = lloydRefine(w, F([0, 100, 101, 0.5, 0.5, 0.5]), { maxIterations: 100 });
    expect(new Set(r.centroids).size).to.equal(6);
    const used = new Set(assignToNearest(w, r.centroids));
    expect(used.size).to.equal(6);
  });

  it('re-seeding empty clusters lowers the error more than leaving them empty', () => {
    const w = normalWeights(2000, 5, 1);
    const start = F([0, 50, 50, 50]);
    const one = lloydRefine(w, start, { maxIterations: 1 }).centroids;
    expect(sse(w, one)).to.be.below(sse(w, naiveStep(w, start)));
  });

  it('leaves an empty centroid in place when every weight already sits on a centroid', () => {
    const w = F([1, 1, 2, 2]);
    const r = lloydRefine(w, F([1, 2, 7]), { maxIterations: 10 });
    expect(Array.from(r.centroids)).to.deep.equal([1, 2, 7]);
    expect(r.converged).to.equal(true);
  });

  it('keeps the zero centroid exactly 0 with preserveSparsity, and zeros stay on it', () => {
    const w = normalWeights(4000, 6);
    for (let i = 0; i < w.length; i += 2) w[i] = 0;
    const init = initializeCentroids(w, 8, { method: 'density', preserveSparsity: true });
    const zero = Array.from(init).indexOf(0);
    const r = lloydRefine(w, init, { maxIterations: 100, preserveSparsity: true });
    expect(Object.is(r.centroids[zero], 0)).to.equal(true);
    expect(Array.from(r.centroids).filter((v) => v === 0)).to.have.length(1);
    const a = assignToNearest(w, r.centroids);
    for (let i = 0; i < w.length; i += 2) expect(a[i]).to.equal(zero);
    // Without pinning, the zero cluster's mean would move away from 0.
    const free = lloydRefine(w, init, { maxIterations: 100 });
    expect(free.centroids[zero]).to.not.equal(0);
  });

  it('stops early with a tolerance and honours maxIterations', () => {
    const w = normalWeights(3000, 7);
    const init = linearCentroids(w, 8);
    const loose = lloydRefine(w, init, { maxIterations: 200, tolerance: 1e-3 });
    const exact = lloydRefine(w, init, { maxIterations: 200 });
    expect(loose.converged).to.equal(true);
    expect(loose.iterations).to.be.below(exact.iterations);
    const capped = lloydRefine(w, init, { maxIterations: 2 });
    expect(capped.iterations).to.equal(2);
    expect(capped.converged).to.equal(false);
    expect(lloydRefine(w, init, { maxIterations: 0 }).centroids).to.deep.equal(init);
  });

  it('rejects bad arguments', () => {
    const w = F([1, 2, 3]);
    expect(() => lloydRefine(w, F([]))).to.throw(RangeError, /centroids is empty/);
    expect(() => lloydRefine(w, F([1, NaN]))).to.throw(RangeError, /centroids\[1\] is NaN/);
    expect(() => lloydRefine(F([1, NaN]), F([1]))).to.throw(RangeError, /weights\[1\] is NaN/);
    expect(() => lloydRefine(w, F([1]), { maxIterations: -1 })).to.throw(RangeError, /maxIterations.*-1/);
    expect(() => lloydRefine(w, F([1]), { tolerance: NaN })).to.throw(RangeError, /tolerance.*NaN/);
    expect(() => lloydRefine(w, F([1, 2]), { preserveSparsity: true })).to.throw(RangeError, /exactly one zero centroid, but none/);
    expect(() => lloydRefine(w, F([0, 0]), { preserveSparsity: true })).to.throw(RangeError, /centroids\[0\] and centroids\[1\] are both 0/);
  });
});
