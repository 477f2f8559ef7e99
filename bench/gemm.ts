// Throughput of the native addon's GEMM-heavy kernels (core/native: conv2d, its two gradients,
// batchMatMul) at the layer shapes of the three train-throughput models, called directly on a
// plain ArrayBuffer "heap" (no tfjs dispatch in the timed loop).
//
// Why CPU seconds: the machine is shared, so wall time measures the neighbours as much as the
// kernel; process.cpuUsage() (user + system of every thread) counts only the cycles this process
// got, which is what a kernel change moves. GFLOP per wall second is printed too (what a user
// waits for: it also shows whether both cores were used).
//
//   npm run bench -- gemm [--min-seconds 0.5] [--filter text] [--save results.json] [--baseline results.json]
//                         [--compare other/collabopt_native.node] [--addon this/collabopt_native.node]
//
// --save writes the rows as JSON; --baseline adds a "× baseline" column (CPU-second throughput
// over the saved run's). --compare loads a second build of the addon (e.g. the previous commit's,
// built in a scratch copy of core/native) and times both on every row in alternating slices, so
// that a change of machine load during the run hits both alike; this is how the before/after
// table of docs/guides/performance.md is made. Every row is timed in five slices and the best
// slice (most GFLOP per CPU-second) is reported: the least disturbed by the neighbours. --addon
// times another build instead of core/native's own (an A/A run of one build against a copy of
// itself shows the noise floor: 0.99-1.02x on the loaded machine).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { loadNativeAddon } from '../core/src/backend/native/loadNativeAddon';
import type { NativeAddon } from '../core/src/backend/native/NativeAddon';

function argString(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}
function argNumber(name: string, fallback: number): number {
  const s = argString(name);
  if (s === undefined) return fallback;
  const v = Number(s);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`gemm: ${name} needs a positive number, got '${s}'`);
  return v;
}

const MIN_SECONDS = argNumber('--min-seconds', 0.5);
const FILTER = argString('--filter');

type Op = 'forward' | 'input grad' | 'filter grad';
interface ConvCase { kind: 'conv'; model: string; layer: string; op: Op; x: [number, number, number, number]; f: [number, number, number, number]; stride: number; pad: 'same' | 'valid' }
interface MatMulCase { kind: 'matmul'; model: string; layer: string; op: string; m: number; n: number; k: number; transA: boolean; transB: boolean }
type Case = ConvCase | MatMulCase;

const convOps = (model: string, layer: string, x: ConvCase['x'], f: ConvCase['f'], stride: number, pad: 'same' | 'valid', ops: Op[]): ConvCase[] =>
  ops.map((op) => ({ kind: 'conv', model, layer, op, x, f, stride, pad }));
const ALL: Op[] = ['forward', 'input grad', 'filter grad'];

// Layer shapes (NHWC) of bench/train-throughput's models at their bench batch sizes.
const CASES: Case[] = [
  // DS-CNN-L (filters 276, 5 blocks; first block stride 2) on 28x28x1, batch 64.
  ...convOps('ds-cnn-l', 'conv1 5x5/2 1→276', [64, 28, 28, 1], [5, 5, 1, 276], 2, 'same', ['forward', 'filter grad']),
  ...convOps('ds-cnn-l', 'pw 7x7 276→276', [64, 7, 7, 276], [1, 1, 276, 276], 1, 'same', ALL),
  // MobileNet-v1 α 0.25 on 32x32x3, batch 32: the pointwise layers.
  ...convOps('mobilenet', 'pw 16x16 8→16', [32, 16, 16, 8], [1, 1, 8, 16], 1, 'same', ALL),
  ...convOps('mobilenet', 'pw 8x8 32→32', [32, 8, 8, 32], [1, 1, 32, 32], 1, 'same', ALL),
  ...convOps('mobilenet', 'pw 4x4 64→64', [32, 4, 4, 64], [1, 1, 64, 64], 1, 'same', ALL),
  ...convOps('mobilenet', 'pw 2x2 128→128', [32, 2, 2, 128], [1, 1, 128, 128], 1, 'same', ALL),
  ...convOps('mobilenet', 'pw 1x1 256→256', [32, 1, 1, 256], [1, 1, 256, 256], 1, 'same', ALL),
  // tfjs-examples mnist-node CNN, batch 32.
  ...convOps('mnist-node', 'conv1 3x3 1→32', [32, 28, 28, 1], [3, 3, 1, 32], 1, 'valid', ['forward', 'filter grad']),
  ...convOps('mnist-node', 'conv2 3x3 32→32', [32, 26, 26, 32], [3, 3, 32, 32], 1, 'valid', ALL),
  ...convOps('mnist-node', 'conv4 3x3 64→64', [32, 10, 10, 64], [3, 3, 64, 64], 1, 'valid', ALL),
  { kind: 'matmul', model: 'mnist-node', layer: 'dense 1024→512', op: 'forward', m: 32, n: 512, k: 1024, transA: false, transB: false },
  { kind: 'matmul', model: 'mnist-node', layer: 'dense 1024→512', op: 'input grad', m: 32, n: 1024, k: 512, transA: false, transB: true },
  { kind: 'matmul', model: 'mnist-node', layer: 'dense 1024→512', op: 'filter grad', m: 1024, n: 512, k: 32, transA: true, transB: false },
];

/** A bump allocator over one ArrayBuffer, filled with values in [-1, 1). */
class Heap {
  readonly buffer: ArrayBuffer;
  private next = 0;
  constructor(bytes: number) {
    this.buffer = new ArrayBuffer(bytes);
    const f = new Float32Array(this.buffer);
    let s = 12345;
    for (let i = 0; i < f.length; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      f[i] = s / 2 ** 31 - 1;
    }
  }
  alloc(floats: number): number {
    const at = this.next;
    this.next += Math.ceil((floats * 4) / 64) * 64;
    if (this.next > this.buffer.byteLength) throw new Error('gemm: heap too small');
    return at;
  }
}

interface Prepared { flops: number; shape: string; run: () => void }

function prepare(addon: NativeAddon, c: Case): Prepared {
  if (c.kind === 'matmul') {
    const heap = new Heap((c.m * c.k + c.k * c.n + c.m * c.n) * 4 + 256);
    const a = heap.alloc(c.m * c.k), b = heap.alloc(c.k * c.n), out = heap.alloc(c.m * c.n);
    return {
      flops: 2 * c.m * c.n * c.k,
      shape: `${c.m}x${c.k}${c.transA ? 'ᵀ' : ''} · ${c.k}x${c.n}${c.transB ? 'ᵀ' : ''}`,
      run: () => addon.batchMatMul(heap.buffer, a, b, out, 1, 1, c.m, c.n, c.k, c.transA ? 1 : 0, c.transB ? 1 : 0),
    };
  }
  const info = tf.backend_util.computeConv2DInfo(c.x, c.f, [c.stride, c.stride], [1, 1], c.pad);
  const geometry = [info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth, info.outChannels,
    info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, 1, 1, info.padInfo.top, info.padInfo.left];
  const xSize = tf.util.sizeFromShape(c.x), fSize = tf.util.sizeFromShape(c.f), ySize = tf.util.sizeFromShape(info.outShape);
  const heap = new Heap((xSize + fSize + ySize) * 4 + 256);
  const x = heap.alloc(xSize), w = heap.alloc(fSize), y = heap.alloc(ySize);
  const flops = 2 * ySize * c.f[0] * c.f[1] * c.f[2];
  const shape = `x[${c.x}] f[${c.f}] s${c.stride}`;
  const run = c.op === 'forward' ? () => addon.conv2d(heap.buffer, x, w, -1, y, 0, ...geometry)
    : c.op === 'input grad' ? () => addon.conv2dBackpropInput(heap.buffer, y, w, x, ...geometry)
      : () => addon.conv2dBackpropFilter(heap.buffer, x, y, w, ...geometry);
  return { flops, shape, run };
}

interface Row {
  model: string; layer: string; op: string; shape: string; mflop: number; cpuGflops: number; wallGflops: number; msPerCall: number; calls: number;
  /** The --compare build's throughput on the same row. */
  other?: { cpuGflops: number; wallGflops: number };
}

interface Timing { cpuSeconds: number; wallSeconds: number; calls: number }

/** Calls p.run() for at least `seconds` (and 3 calls). */
function time(p: Prepared, seconds: number): Timing {
  let calls = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let wall = 0;
  while (calls < 3 || wall < seconds * 1000) {
    p.run();
    calls++;
    wall = performance.now() - t0;
  }
  const cpu = process.cpuUsage(cpu0);
  return { cpuSeconds: (cpu.user + cpu.system) / 1e6, wallSeconds: wall / 1000, calls };
}

/** The round with the most CPU-second throughput: the least disturbed by other processes (on a shared core, their cache and SMT traffic slow this one down even per CPU second). */
const best = (ts: Timing[]): Timing => ts.reduce((a, b) => (b.calls / b.cpuSeconds > a.calls / a.cpuSeconds ? b : a));

function summary(p: Prepared, t: Timing): { cpuGflops: number; wallGflops: number; msPerCall: number; calls: number } {
  const gflop = (p.flops * t.calls) / 1e9;
  return { cpuGflops: gflop / t.cpuSeconds, wallGflops: gflop / t.wallSeconds, msPerCall: (t.wallSeconds * 1000) / t.calls, calls: t.calls };
}

const ROUNDS = 5;

/**
 * Times p (and q, alternating with it, when given) for MIN_SECONDS each after 3 warm-up calls, in
 * ROUNDS slices; reports each one's best slice.
 */
function measure(p: Prepared, q?: Prepared): [ReturnType<typeof summary>, ReturnType<typeof summary> | undefined] {
  for (let i = 0; i < 3; i++) {
    p.run(); // warm-up: scratch buffers, caches, the pool's threads
    q?.run();
  }
  const tp: Timing[] = [], tq: Timing[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    tp.push(time(p, MIN_SECONDS / ROUNDS));
    if (q) tq.push(time(q, MIN_SECONDS / ROUNDS));
  }
  return [summary(p, best(tp)), q ? summary(q, best(tq)) : undefined];
}

function main(): void {
  const addonPath = argString('--addon');
  const load = addonPath ? loadNativeAddon(addonPath) : loadNativeAddon();
  if (!load.available) {
    console.log(`gemm: native kernels unavailable (${load.reason}); nothing to measure`);
    return;
  }
  const addon = load.addon;
  const baselinePath = argString('--baseline');
  const baseline = baselinePath ? (JSON.parse(fs.readFileSync(baselinePath, 'utf8')) as Row[]) : undefined;
  const comparePath = argString('--compare');
  const compareLoad = comparePath ? loadNativeAddon(comparePath) : undefined;
  if (compareLoad !== undefined && !compareLoad.available) throw new Error(`gemm: --compare ${comparePath}: ${compareLoad.reason}`);
  const other = compareLoad?.available ? compareLoad.addon : undefined;
  const info = addon.info();
  console.log(`gemm: native kernels, ${info.threads} threads, ${info.isa}; each row ${ROUNDS} slices of ${MIN_SECONDS / ROUNDS} s after 3 warm-up calls, best slice reported`);
  if (other) console.log(`  compared with ${comparePath} (${other.info().threads} threads, ${other.info().isa}), alternating, ${ROUNDS} rounds`);
  console.log(`  Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const rows: Row[] = [];
  const key = (r: { model: string; layer: string; op: string }) => `${r.model}|${r.layer}|${r.op}`;
  const header = ['model'.padEnd(10), 'layer'.padEnd(18), 'op'.padEnd(11), 'MFLOP'.padStart(8), 'GFLOP/CPU-s'.padStart(11),
    'GFLOP/wall-s'.padStart(12), 'ms/call'.padStart(8), ...(baseline ? ['× baseline (CPU-s)'.padStart(18)] : []),
    ...(other ? ['other CPU-s'.padStart(11), 'other wall-s'.padStart(12), '× other (CPU-s)'.padStart(15), '× other (wall)'.padStart(14)] : [])].join('  ');
  console.log('');
  console.log(header);
  console.log('-'.repeat(header.length));
  for (const c of CASES) {
    if (FILTER !== undefined && !`${c.model} ${c.layer} ${c.op}`.includes(FILTER)) continue;
    const p = prepare(addon, c);
    const [m, o] = measure(p, other ? prepare(other, c) : undefined);
    const row: Row = { model: c.model, layer: c.layer, op: c.op, shape: p.shape, mflop: p.flops / 1e6, ...m,
      ...(o ? { other: { cpuGflops: o.cpuGflops, wallGflops: o.wallGflops } } : {}) };
    rows.push(row);
    const before = baseline?.find((b) => key(b) === key(row));
    console.log([row.model.padEnd(10), row.layer.padEnd(18), row.op.padEnd(11), row.mflop.toFixed(1).padStart(8),
      row.cpuGflops.toFixed(1).padStart(11), row.wallGflops.toFixed(1).padStart(12), row.msPerCall.toFixed(3).padStart(8),
      ...(baseline ? [(before ? `${(row.cpuGflops / before.cpuGflops).toFixed(2)}x` : 'n/a').padStart(18)] : []),
      ...(o ? [o.cpuGflops.toFixed(1).padStart(11), o.wallGflops.toFixed(1).padStart(12), `${(m.cpuGflops / o.cpuGflops).toFixed(2)}x`.padStart(15),
        `${(m.wallGflops / o.wallGflops).toFixed(2)}x`.padStart(14)] : [])].join('  '));
  }
  console.log(`  load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const savePath = argString('--save');
  if (savePath) {
    fs.writeFileSync(savePath, `${JSON.stringify(rows, null, 1)}\n`);
    console.log(`  saved ${rows.length} rows to ${savePath}`);
  }
}

main();
