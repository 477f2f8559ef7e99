// Shared reference implementations for the clustering tests: deliberately naive (O(n·k)), so
// the fast algorithms are checked against code that is obviously right.
import { SeededRandom } from '../../../core/src/util/SeededRandom';

/** Index of the nearest centroid, first index on ties (tf.argmin semantics). */
export function bruteNearest(x: number, centroids: ArrayLike<number>): number {
  let best = 0;
  let bestD = Math.abs(x - centroids[0]);
  for (let j = 1; j < centroids.length; j++) {
    const d = Math.abs(x - centroids[j]);
    if (d < bestD) {
      bestD = d;
      best = j;
    }
  }
  return best;
}

export function bruteAssign(weights: ArrayLike<number>, centroids: ArrayLike<number>): Int32Array {
  const out = new Int32Array(weights.length);
  for (let i = 0; i < weights.length; i++) out[i] = bruteNearest(weights[i], centroids);
  return out;
}

/** Within-cluster sum of squared errors under the nearest-centroid assignment. */
export function sse(weights: ArrayLike<number>, centroids: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < weights.length; i++) {
    const d = weights[i] - centroids[bruteNearest(weights[i], centroids)];
    s += d * d;
  }
  return s;
}

export function normalWeights(n: number, seed: number, std = 0.05): Float32Array {
  const r = new SeededRandom(seed);
  const w = new Float32Array(n);
  for (let i = 0; i < n; i++) w[i] = r.normal(0, std);
  return w;
}

/** Well separated modes: `perMode` points around each centre with the given spread. */
export function multiModal(centres: number[], perMode: number, spread: number, seed: number): Float32Array {
  const r = new SeededRandom(seed);
  const w = new Float32Array(centres.length * perMode);
  let t = 0;
  for (const c of centres) for (let i = 0; i < perMode; i++) w[t++] = c + r.normal(0, spread);
  return r.shuffle(w);
}

export function distinct(values: ArrayLike<number>): number[] {
  return [...new Set(Array.from(values, (v) => (v === 0 ? 0 : v)))].sort((a, b) => a - b);
}
