import { expect } from 'chai';
import { SeededRandom } from '../../../core/src/util/SeededRandom';
import { kmeansPlusPlusCentroids } from '../../../plugins/src/clustering/kmeansPlusPlusCentroids';
import { SortedWeights } from '../../../plugins/src/clustering/SortedWeights';
import type { RandomSource } from '../../../plugins/src/clustering/RandomSource';
import { multiModal, normalWeights, sse } from './helpers';

const F = (a: number[]) => Float32Array.from(a);

/** Chi-square critical value at p = 1e-4 (Wilson–Hilferty approximation). */
function chiSquareCritical(df: number): number {
  const z = 3.719;
  const a = 2 / (9 * df);
  return df * Math.pow(1 - a + z * Math.sqrt(a), 3);
}

/** Pearson chi-square of observed counts vs expected probabilities; cells with expectation < 5 are pooled. */
function chiSquare(observed: Map<string, number>, expected: Map<string, number>, total: number): { chi: number; df: number } {
  let chi = 0;
  let cells = 0;
  let pooledObs = 0;
  let pooledExp = 0;
  for (const [key, p] of expected) {
    const e = p * total;
    const o = observed.get(key) ?? 0;
    if (e < 5) {
      pooledObs += o;
      pooledExp += e;
    } else {
      chi += ((o - e) * (o - e)) / e;
      cells++;
    }
  }
  for (const key of observed.keys()) if (!expected.has(key)) pooledObs += observed.get(key)!;
  if (pooledExp > 0) {
    chi += ((pooledObs - pooledExp) * (pooledObs - pooledExp)) / pooledExp;
    cells++;
  }
  return { chi, df: cells - 1 };
}

/**
 * Exact distribution of the ordered first three centres of classic k-means++ (retries = 0) on
 * distinct points: uniform first centre, then each next ∝ D^power (power 2 is k-means++; the
 * test also builds the power-1 distribution to show it would catch a wrong weighting).
 */
function exactTriples(x: number[], power: number): Map<string, number> {
  const out = new Map<string, number>();
  const n = x.length;
  for (let a = 0; a < n; a++) {
    const da = x.map((v) => Math.abs(v - x[a]) ** power);
    const sa = da.reduce((s, v) => s + v, 0);
    for (let b = 0; b < n; b++) {
      if (b === a) continue;
      const dab = x.map((v) => Math.min(Math.abs(v - x[a]), Math.abs(v - x[b])) ** power);
      const sab = dab.reduce((s, v) => s + v, 0);
      for (let c = 0; c < n; c++) {
        if (c === a || c === b) continue;
        out.set(`${x[a]},${x[b]},${x[c]}`, (1 / n) * (da[b] / sa) * (dab[c] / sab));
      }
    }
  }
  return out;
}

/**
 * Naive O(n·k) greedy k-means++ that consumes the random stream exactly like the fast version:
 * first centre = best of uniform draws over sorted positions; each later candidate by inverse
 * CDF of D² over the points ordered by (selection index of their nearest centre, left of it
 * ascending, right of it ascending); the candidate with the smallest new potential wins (first
 * on ties). Same stream in → same centres out, unless a draw lands within rounding of a boundary.
 */
function naiveGreedy(values: Float32Array, k: number, random: RandomSource, retries: number): number[] {
  const s = Float32Array.from(values).sort();
  const n = s.length;
  const potentialWith = (cs: number[]) => {
    let p = 0;
    for (const v of s) p += Math.min(...cs.map((c) => (v - c) * (v - c)));
    return p;
  };
  let first = 0;
  let best = Infinity;
  for (let t = 0; t <= retries; t++) {
    const c = s[random.int(0, n)];
    const p = potentialWith([c]);
    if (p < best) {
      best = p;
      first = c;
    }
  }
  const chosen = [first];
  while (chosen.length < k) {
    // Nearest centre of each sorted point, ties (exact midpoints) to the smaller centre value.
    const order = [...chosen].sort((a, b) => a - b);
    const owner: number[] = [];
    for (const v of s) {
      let q = 0;
      while (q + 1 < order.length && v > (order[q] + order[q + 1]) / 2) q++;
      owner.push(chosen.indexOf(order[q]));
    }
    const idx = Array.from({ length: n }, (_, i) => i).sort((i, j) => {
      if (owner[i] !== owner[j]) return owner[i] - owner[j];
      const ci = chosen[owner[i]];
      const side = (v: number) => (v < ci ? 0 : v === ci ? 1 : 2);
      return side(s[i]) - side(s[j]) || i - j;
    });
    const d2 = idx.map((i) => (s[i] - chosen[owner[i]]) ** 2);
    const total = d2.reduce((a, b) => a + b, 0);
    let pick = NaN;
    let bestP = Infinity;
    for (let t = 0; t <= retries; t++) {
      const u = random.float() * total;
      let acc = 0;
      let c = NaN;
      for (let r = 0; r < n; r++) {
        acc += d2[r];
        if (acc > u) {
          c = s[idx[r]];
          break;
        }
      }
      const p = potentialWith([...chosen, c]);
      if (p < bestP) {
        bestP = p;
        pick = c;
      }
    }
    chosen.push(pick);
  }
  return chosen;
}

describe('kmeansPlusPlusCentroids', () => {
  it('returns k distinct data values, in selection order', () => {
    const w = normalWeights(5000, 1);
    const data = new Set(w);
    for (const k of [1, 2, 16, 64]) {
      const c = kmeansPlusPlusCentroids(w, k, { random: new SeededRandom(k) });
      expect(c).to.have.length(k);
      expect(new Set(c).size, `k=${k} distinct`).to.equal(k);
      for (const v of c) expect(data.has(v), `${v} is a data point`).to.equal(true);
    }
  });

  it('same seed → same centroids; different seeds → different centroids', () => {
    const w = normalWeights(3000, 2);
    const a = kmeansPlusPlusCentroids(w, 16, { random: new SeededRandom(5) });
    const b = kmeansPlusPlusCentroids(w, 16, { random: new SeededRandom(5) });
    expect(Array.from(a)).to.deep.equal(Array.from(b));
    const others = [6, 7, 8].map((s) => Array.from(kmeansPlusPlusCentroids(w, 16, { random: new SeededRandom(s) })));
    for (const o of others) expect(o).to.not.deep.equal(Array.from(a));
  });

  it('spreads over the modes of multi-modal data (one centroid per mode)', () => {
    const centres = [-0.1, -0.05, 0, 0.05, 0.1];
    const w = multiModal(centres, 200, 0.002, 3);
    for (let seed = 0; seed < 20; seed++) {
      const c = kmeansPlusPlusCentroids(w, 5, { random: new SeededRandom(seed) });
      const hit = centres.map((m) => Array.from(c).filter((v) => Math.abs(v - m) < 0.02).length);
      expect(hit, `seed ${seed}: centroids ${Array.from(c)}`).to.deep.equal([1, 1, 1, 1, 1]);
    }
    // With more clusters than modes every mode still gets at least one.
    const c = kmeansPlusPlusCentroids(w, 12, { random: new SeededRandom(1) });
    for (const m of centres) expect(Array.from(c).some((v) => Math.abs(v - m) < 0.02)).to.equal(true);
  });

  it('samples exactly ∝ D² (chi-square against the exact distribution of the first 3 centres)', () => {
    const x = [0, 1, 2.5, 4, 7, 7.5];
    const w = F(x);
    const runs = 30000;
    const observed = new Map<string, number>();
    for (let seed = 0; seed < runs; seed++) {
      const c = kmeansPlusPlusCentroids(w, 3, { random: new SeededRandom(seed), retries: 0 });
      const key = Array.from(c).join(',');
      observed.set(key, (observed.get(key) ?? 0) + 1);
    }
    const right = chiSquare(observed, exactTriples(x, 2), runs);
    expect(right.chi, `chi-square ${right.chi.toFixed(1)}, df ${right.df}`).to.be.below(chiSquareCritical(right.df));
    // The same statistic rejects sampling ∝ D (not squared): the test can tell them apart.
    const wrong = chiSquare(observed, exactTriples(x, 1), runs);
    expect(wrong.chi).to.be.above(chiSquareCritical(wrong.df));
  });

  it('draws the first centre uniformly over weights (duplicates count by multiplicity)', () => {
    const w = F([0, 0, 0, 1]);
    let zeros = 0;
    const runs = 4000;
    for (let seed = 0; seed < runs; seed++) {
      if (kmeansPlusPlusCentroids(w, 1, { random: new SeededRandom(seed), retries: 0 })[0] === 0) zeros++;
    }
    expect(zeros / runs).to.be.closeTo(0.75, 0.03);
  });

  it('never picks a duplicate value even when most weights are duplicates', () => {
    const w = new Float32Array(10000); // 9990 zeros and 10 distinct non-zeros
    for (let i = 0; i < 10; i++) w[i * 997] = i + 1;
    for (let seed = 0; seed < 10; seed++) {
      const c = kmeansPlusPlusCentroids(w, 11, { random: new SeededRandom(seed) });
      expect(new Set(c).size).to.equal(11);
    }
  });

  it('equals a naive O(n·k) implementation fed the same random stream', () => {
    for (const [seed, retries] of [
      [1, 0],
      [2, 0],
      [3, undefined],
      [4, undefined],
    ] as [number, number | undefined][]) {
      const w = normalWeights(1500, 10 + seed);
      const k = 24;
      const fast = kmeansPlusPlusCentroids(w, k, { random: new SeededRandom(seed), retries });
      const naive = naiveGreedy(w, k, new SeededRandom(seed), retries ?? 2 + Math.floor(Math.log(k)));
      expect(Array.from(fast), `seed ${seed}, retries ${retries}`).to.deep.equal(naive);
    }
  });

  it('greedy retries (TFMOT default) lower the potential on average vs classic k-means++', () => {
    const w = normalWeights(4000, 7);
    let greedy = 0;
    let classic = 0;
    for (let seed = 0; seed < 15; seed++) {
      greedy += sse(w, kmeansPlusPlusCentroids(w, 16, { random: new SeededRandom(seed) }));
      classic += sse(w, kmeansPlusPlusCentroids(w, 16, { random: new SeededRandom(seed), retries: 0 }));
    }
    expect(greedy).to.be.below(classic);
  });

  it('accepts a SortedWeights (shared sort) and gives the same result as the raw weights', () => {
    const w = normalWeights(20000, 8); // above the radix-sort threshold
    const a = kmeansPlusPlusCentroids(w, 32, { random: new SeededRandom(1) });
    const b = kmeansPlusPlusCentroids(SortedWeights.from(w), 32, { random: new SeededRandom(1) });
    expect(Array.from(a)).to.deep.equal(Array.from(b));
  });

  it('rejects k above the number of distinct values and bad retries', () => {
    expect(() => kmeansPlusPlusCentroids(F([1, 1, 2, 2]), 3, { random: new SeededRandom(0) })).to.throw(
      RangeError,
      /k \(number of clusters\) = 3 exceeds the number of distinct values.*\(2\)/,
    );
    expect(() => kmeansPlusPlusCentroids(F([1, 2, 3]), 2, { random: new SeededRandom(0), retries: -1 })).to.throw(
      RangeError,
      /options.retries must be an integer >= 0, got -1/,
    );
    expect(() => kmeansPlusPlusCentroids(F([1, 2, 3]), 2, undefined as never)).to.throw(TypeError, /options.random is required/);
  });
});
