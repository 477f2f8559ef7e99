// Clustering algorithm layer: initialisation + nearest-centroid assignment at MobileNet-v1 size
// (4.2M weights), for every init method, k = 16 and k = 256, on dense normal weights and on a
// 50%-pruned variant clustered with sparsity preservation. A naive O(n·k) assignment is timed
// on a subset in the same run and extrapolated, to show the ratio.
//
//   npm run bench -- clustering [--repeats N]
//
// Target: kmeans++ init + assign, 4.2M weights, k = 256, <= 2,000 ms on a 2-core machine.
import { SeededRandom } from '../core/src/util/SeededRandom';
import { assignToNearest } from '../plugins/src/clustering/assignToNearest';
import {
  CentroidInitialization,
  initializeCentroids,
} from '../plugins/src/clustering/CentroidInitialization';
import { lloydRefine } from '../plugins/src/clustering/lloydRefine';
import { SortedWeights } from '../plugins/src/clustering/SortedWeights';
import { median } from './median';

const N = 4_200_000;
const NAIVE_SUBSET = 200_000;
const argRepeats = process.argv.indexOf('--repeats');
const REPEATS = argRepeats > 0 ? Number(process.argv[argRepeats + 1]) : 3;

function normalWeights(n: number, seed: number): Float32Array {
  const r = new SeededRandom(seed);
  const w = new Float32Array(n);
  for (let i = 0; i < n; i++) w[i] = r.normal(0, 0.05);
  return w;
}

/** Textbook nearest centroid: every weight against every centroid, O(n·k). */
function naiveAssign(w: Float32Array, c: Float32Array): Int32Array {
  const out = new Int32Array(w.length);
  const k = c.length;
  for (let i = 0; i < w.length; i++) {
    const x = w[i];
    let best = 0;
    let bestD = Math.abs(x - c[0]);
    for (let j = 1; j < k; j++) {
      const d = Math.abs(x - c[j]);
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    out[i] = best;
  }
  return out;
}


interface Row {
  data: string;
  method: string;
  k: number;
  init: number;
  assign: number;
  total: number;
  naive: number;
}

function measure(w: Float32Array, method: CentroidInitialization, k: number, preserveSparsity: boolean): Omit<Row, 'data'> {
  const inits: number[] = [];
  const assigns: number[] = [];
  const totals: number[] = [];
  let centroids: Float32Array = new Float32Array(0);
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    centroids = initializeCentroids(w, k, { method, preserveSparsity, random: new SeededRandom(r) });
    const t1 = performance.now();
    assignToNearest(w, centroids);
    const t2 = performance.now();
    inits.push(t1 - t0);
    assigns.push(t2 - t1);
    totals.push(t2 - t0);
  }
  // Naive assignment on a subset, scaled to the full size (it is linear in n).
  const subset = w.subarray(0, NAIVE_SUBSET);
  const t0 = performance.now();
  naiveAssign(subset, centroids);
  const naive = ((performance.now() - t0) * w.length) / NAIVE_SUBSET;
  return { method, k, init: median(inits), assign: median(assigns), total: median(totals), naive };
}

function main(): void {
  console.log(`clustering bench: ${(N / 1e6).toFixed(1)}M weights, median of ${REPEATS} runs, times in ms`);
  const dense = normalWeights(N, 1);
  const pruned = Float32Array.from(dense);
  for (let i = 0; i < N; i += 2) pruned[i] = 0; // 50% zeros (interleaved, like a fixed mask)

  // Warm up the JIT on a small problem so the first table row is not a compile benchmark.
  const warm = dense.subarray(0, 100_000);
  for (const method of Object.values(CentroidInitialization)) {
    assignToNearest(warm, initializeCentroids(warm, 64, { method, random: new SeededRandom(0) }));
  }

  const rows: Row[] = [];
  for (const [data, w, sparse] of [
    ['normal', dense, false],
    ['pruned 50% (sparsity-preserving)', pruned, true],
  ] as [string, Float32Array, boolean][]) {
    for (const k of [16, 256]) {
      for (const method of Object.values(CentroidInitialization)) {
        rows.push({ data, ...measure(w, method, k, sparse) });
      }
    }
  }

  const header = ['data', 'init', 'k', 'init ms', 'assign ms', 'init+assign ms', `naive O(n·k) assign ms*`, 'assign speedup'];
  const body = rows.map((r) => [
    r.data,
    r.method,
    String(r.k),
    r.init.toFixed(0),
    r.assign.toFixed(0),
    r.total.toFixed(0),
    r.naive.toFixed(0),
    `${(r.naive / r.assign).toFixed(1)}x`,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((b) => b[c].length)));
  const line = (cells: string[]) =>
    '| ' + cells.map((s, c) => (c < 2 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((wd, c) => (c < 2 ? '-'.repeat(wd + 2) : '-'.repeat(wd + 1) + ':')).join('|') + '|');
  for (const b of body) console.log(line(b));
  console.log(`* naive assignment timed on the first ${NAIVE_SUBSET.toLocaleString('en-US')} weights and scaled to ${N.toLocaleString('en-US')}.`);

  // Lloyd refinement cost on top of kmeans++ (sorted once, shared), for reference.
  const sorted = SortedWeights.from(dense);
  const c256 = initializeCentroids(dense, 256, { random: new SeededRandom(0), sorted });
  const t0 = performance.now();
  const refined = lloydRefine(sorted, c256, { maxIterations: 20 });
  const lloyd = performance.now() - t0;
  console.log(
    `Lloyd refinement after kmeans++, k=256: ${refined.iterations} iterations in ${lloyd.toFixed(0)} ms ` +
      `(${(lloyd / refined.iterations).toFixed(2)} ms/iteration, sort shared)`,
  );

  const target = rows.find((r) => r.data === 'normal' && r.method === 'kmeans++' && r.k === 256)!;
  console.log(`clustering: kmeans++ init+assign 4.2M weights k=256 ${target.total.toFixed(0)} ms`);
}

main();
