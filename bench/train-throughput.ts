// Training throughput of conv nets on the three Node backends collabopt can use without
// tfjs-node, measured side by side in one process:
//
//   cpu-stock     tfjs's cpu backend as shipped
//   cpu+kernels   cpu with collabopt's Conv2DBackpropFilter
//   wasm+kernels  tfjs-backend-wasm with collabopt's composed training kernels (native kernels off)
//   wasm+native   the same with collabopt's native kernels (core/native addon, all cores; what
//                 selectBackend picks where the addon built), "native kernels unavailable" otherwise
//
//   pytorch       PyTorch CPU, 2 threads (bench/peer/train_throughput_torch.py, same architectures
//                 and protocol), when `/usr/bin/python3 -c 'import torch'` works (Debian's
//                 python3-torch); "peer not installed" otherwise
//
// Models: the CNN of tfjs-examples/mnist-node (conv32-conv32-pool-conv64-conv64-pool-dense512-
// dense10, rmsprop), MobileNet-v1 alpha 0.25 on 32x32x3 (10 classes), both at --batch-size, and
// DS-CNN (the recipes' size S: 64 filters, 4 blocks) and DS-CNN-L (ARM ML-KWS's largest: 276
// filters, 5 blocks, the first with stride 2) on 28x28x1 at batch 64 (depthwise-separable +
// BatchNormalization). Each cell times whole
// training steps (model.trainOnBatch) on random data after a warm-up, until --min-seconds have
// passed (at least one step): the stock cpu path takes minutes per mnist-node step, so it is timed
// on as many steps as fit, never whole epochs.
//
//   npm run bench -- train-throughput [--batch-size 32] [--min-seconds 15] [--configs a,b] [--models a,b]
//
// Targets: wasm+kernels >= 30x cpu-stock on the mnist-node CNN; >= 0.5x pytorch on each model for
// the path selectBackend picks
// (issue 13). Peak RSS is the process's (maxRSS) after each cell, so it only grows. A second table
// gives samples per CPU-second (process.cpuUsage over the timed steps; the peer's
// time.process_time()), which a loaded machine disturbs far less than wall time.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import '../core/src/backend/node';
import { selectBackend } from '../core/src/backend/selectBackend';
import { registerTrainingKernels } from '../core/src/backend/registerTrainingKernels';
import { getNativeKernelProvider } from '../core/src/backend/nativeKernelProvider';
import { dsCnn, dsCnnL, mnistNodeCnn, mobileNetV1 } from './models';

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`train-throughput: ${name} needs a positive number, got '${process.argv[i + 1]}'`);
  return v;
}

const BATCH = argValue('--batch-size', 32);
const MIN_SECONDS = argValue('--min-seconds', 15);
const PEER_THREADS = 2;

/** The models as the examples train them: rmsprop, categorical cross-entropy. */
function compiled(build: () => tf.LayersModel): () => tf.LayersModel {
  return () => {
    const model = build();
    model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy' });
    return model;
  };
}

interface ModelSpec { name: string; peer: string; batch: number; build: () => tf.LayersModel; inputShape: number[] }
const ALL_MODELS: ModelSpec[] = [
  { name: `mnist-node CNN b${BATCH}`, peer: 'mnist-node', batch: BATCH, build: compiled(mnistNodeCnn), inputShape: [28, 28, 1] },
  { name: `MobileNet-v1 0.25 b${BATCH}`, peer: 'mobilenet', batch: BATCH, build: compiled(() => mobileNetV1(0.25, [32, 32, 3], 10)), inputShape: [32, 32, 3] },
  { name: 'DS-CNN 28x28 b64', peer: 'ds-cnn', batch: 64, build: compiled(() => dsCnn()), inputShape: [28, 28, 1] },
  { name: 'DS-CNN-L 28x28 b64', peer: 'ds-cnn-l', batch: 64, build: compiled(() => dsCnnL()), inputShape: [28, 28, 1] },
];

// --models mnist-node,mobilenet,ds-cnn,ds-cnn-l (peer names) selects models; default all.
const MODELS = ((): ModelSpec[] => {
  const i = process.argv.indexOf('--models');
  if (i < 0) return ALL_MODELS;
  const names = (process.argv[i + 1] ?? '').split(',');
  const unknown = names.filter((n) => !ALL_MODELS.some((m) => m.peer === n));
  if (unknown.length > 0) throw new Error(`train-throughput: unknown model(s) ${unknown.join(', ')}; have ${ALL_MODELS.map((m) => m.peer).join(', ')}`);
  return ALL_MODELS.filter((m) => names.includes(m.peer));
})();

interface Config { name: string; setup: () => Promise<() => void>; fullWarmup: boolean }
const ALL_CONFIGS: Config[] = [
  {
    name: 'cpu-stock',
    setup: async () => {
      await tf.setBackend('cpu');
      return () => {};
    },
    // A full mnist-node step takes minutes here; the small warm-up step is enough for a loop.
    fullWarmup: false,
  },
  {
    name: 'cpu+kernels',
    setup: async () => {
      await tf.setBackend('cpu');
      const registration = registerTrainingKernels({ backends: ['cpu'] });
      return () => registration.unregister();
    },
    fullWarmup: true,
  },
  {
    name: 'wasm+kernels',
    setup: async () => {
      const selection = await selectBackend({ backend: 'wasm', nativeKernels: false, log: (line) => console.log(`  ${line}`) });
      return () => selection.releaseTrainingKernels();
    },
    fullWarmup: true,
  },
  {
    name: 'wasm+native',
    setup: async () => {
      const selection = await selectBackend({ backend: 'wasm', nativeKernels: true, log: (line) => console.log(`  ${line}`) });
      return () => selection.releaseTrainingKernels();
    },
    fullWarmup: true,
  },
];
const CONFIGS = ((): Config[] => {
  const i = process.argv.indexOf('--configs');
  const native = getNativeKernelProvider();
  if (native?.available !== true) {
    console.log(`  wasm+native: native kernels unavailable (${native?.available === false ? native.reason : 'no provider'}); column left out`);
  }
  const usable = (c: Config) => c.name !== 'wasm+native' || native?.available === true;
  if (i < 0) return ALL_CONFIGS.filter(usable);
  const names = (process.argv[i + 1] ?? '').split(',');
  const unknown = names.filter((n) => !ALL_CONFIGS.some((c) => c.name === n));
  if (unknown.length > 0) throw new Error(`train-throughput: unknown config(s) ${unknown.join(', ')}; have ${ALL_CONFIGS.map((c) => c.name).join(', ')}`);
  return ALL_CONFIGS.filter((c) => names.includes(c.name) && usable(c));
})();

/** One model on one configuration: wall-clock and CPU-time throughput, peak RSS. */
interface Cell {
  samplesPerSecond: number;
  /** Samples per second of CPU time (user + system, all threads): robust to a shared machine. */
  samplesPerCpuSecond: number;
  steps: number;
  seconds: number;
  peakRssMiB: number;
}

const peakRssMiB = (): number => process.resourceUsage().maxRSS / 1024;

/** PyTorch's numbers per model (peer name → cell), or why there are none. */
function runPeer(): Map<string, Cell> | string {
  const python = '/usr/bin/python3';
  const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return 'peer not installed (apt-get install python3-torch)';
  const script = path.join(__dirname, 'peer', 'train_throughput_torch.py');
  const args = [script, '--threads', String(PEER_THREADS), '--min-seconds', String(MIN_SECONDS),
    ...MODELS.flatMap((m) => ['--model', `${m.peer}:${m.batch}`])];
  const r = spawnSync(python, args, { encoding: 'utf8' });
  if (r.status !== 0) return `peer failed: ${r.stderr.trim().split('\n').pop() ?? ''}`;
  const cells = new Map<string, Cell>();
  for (const line of r.stdout.trim().split('\n')) {
    const o = JSON.parse(line) as { model: string; samplesPerSecond: number; cpuSeconds: number; steps: number; seconds: number; peakRssMiB: number };
    const batch = MODELS.find((m) => m.peer === o.model)?.batch ?? 0;
    cells.set(o.model, { ...o, samplesPerCpuSecond: (o.steps * batch) / o.cpuSeconds });
  }
  return cells;
}

async function measure(spec: ModelSpec): Promise<Cell> {
  const model = spec.build();
  const xs = tf.randomUniform([spec.batch, ...spec.inputShape], 0, 1, 'float32', 1);
  const ys = tf.tidy(() => tf.oneHot(tf.randomUniform([spec.batch], 0, 10, 'int32', 2), 10).toFloat());
  const step = async (x: tf.Tensor, y: tf.Tensor) => {
    await model.trainOnBatch(x, y);
  };
  try {
    // Builds the optimizer's slots and warms the JIT without paying for a full stock-cpu step.
    const [x2, y2] = [xs.slice(0, 2), ys.slice(0, 2)];
    await step(x2, y2);
    tf.dispose([x2, y2]);
    let steps = 0;
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    let elapsed = 0;
    while (steps === 0 || elapsed < MIN_SECONDS * 1000) {
      await step(xs, ys);
      steps++;
      elapsed = performance.now() - start;
    }
    const cpu = process.cpuUsage(cpu0);
    return {
      samplesPerSecond: (steps * spec.batch) / (elapsed / 1000), samplesPerCpuSecond: (steps * spec.batch) / ((cpu.user + cpu.system) / 1e6),
      steps, seconds: elapsed / 1000, peakRssMiB: peakRssMiB(),
    };
  } finally {
    model.dispose();
    tf.dispose([xs, ys]);
  }
}

async function main(): Promise<void> {
  tf.env().set('PROD', true); // no "install tfjs-node" banner, no debug checks
  console.log(`train-throughput: batch ${BATCH}, each cell >= ${MIN_SECONDS} s of training steps (at least one) after warm-up`);
  console.log(`  Node ${process.version}, ${os.cpus().length} CPUs, @tensorflow/tfjs ${tf.version.tfjs}`);
  console.log(`  load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const results = new Map<string, Cell>();
  for (const config of CONFIGS) {
    const teardown = await config.setup();
    try {
      for (const spec of MODELS) {
        // One full-size step first, so the timed steps do not include first-use costs.
        if (config.fullWarmup) await warmUp(spec);
        const cell = await measure(spec);
        results.set(`${config.name}|${spec.name}`, cell);
        console.log(`  ${config.name.padEnd(12)} ${spec.name.padEnd(28)} ${cell.samplesPerSecond.toFixed(2).padStart(9)} samples/s, ${cell.samplesPerCpuSecond.toFixed(2).padStart(9)} samples/CPU-s  (${cell.steps} steps in ${cell.seconds.toFixed(1)} s, peak RSS ${cell.peakRssMiB.toFixed(0)} MiB)`);
      }
    } finally {
      teardown();
    }
  }

  const peer = runPeer();
  if (typeof peer === 'string') console.log(`  pytorch: ${peer}`);
  else for (const [name, cell] of peer) console.log(`  ${'pytorch'.padEnd(12)} ${name.padEnd(28)} ${cell.samplesPerSecond.toFixed(2).padStart(9)} samples/s, ${cell.samplesPerCpuSecond.toFixed(2).padStart(9)} samples/CPU-s  (${cell.steps} steps in ${cell.seconds.toFixed(1)} s, ${PEER_THREADS} threads, peak RSS ${cell.peakRssMiB.toFixed(0)} MiB)`);
  console.log(`  load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  const cols = CONFIGS.map((c) => c.name);
  const has = (c: string) => cols.includes(c);
  const header = ['model'.padEnd(28), ...cols.map((c) => c.padStart(13)), 'pytorch'.padStart(10),
    ...(has('cpu+kernels') && has('cpu-stock') ? ['cpu+k/stock'.padStart(12)] : []),
    ...(has('wasm+kernels') && has('cpu-stock') ? ['wasm+k/stock'.padStart(13)] : []),
    ...(has('wasm+kernels') ? ['wasm+k/torch'.padStart(13)] : []),
    ...(has('wasm+native') ? ['native/torch'.padStart(13)] : []),
    ...(has('wasm+native') && has('wasm+kernels') ? ['native/wasm+k'.padStart(13)] : []),
    'peak RSS MiB'.padStart(13)].join('  ');
  console.log('');
  console.log('samples/s (higher is better)');
  console.log(header);
  console.log('-'.repeat(header.length));
  for (const spec of MODELS) {
    const v = (c: string) => results.get(`${c}|${spec.name}`)!.samplesPerSecond;
    const torch = typeof peer === 'string' ? undefined : peer.get(spec.peer)?.samplesPerSecond;
    const rss = Math.max(...cols.map((c) => results.get(`${c}|${spec.name}`)!.peakRssMiB));
    console.log([spec.name.padEnd(28), ...cols.map((c) => v(c).toFixed(2).padStart(13)),
      (torch != null ? torch.toFixed(2) : 'n/a').padStart(10),
      ...(has('cpu+kernels') && has('cpu-stock') ? [`${(v('cpu+kernels') / v('cpu-stock')).toFixed(1)}x`.padStart(12)] : []),
      ...(has('wasm+kernels') && has('cpu-stock') ? [`${(v('wasm+kernels') / v('cpu-stock')).toFixed(1)}x`.padStart(13)] : []),
      ...(has('wasm+kernels') ? [(torch != null ? `${(v('wasm+kernels') / torch).toFixed(2)}x` : 'n/a').padStart(13)] : []),
      ...(has('wasm+native') ? [(torch != null ? `${(v('wasm+native') / torch).toFixed(2)}x` : 'n/a').padStart(13)] : []),
      ...(has('wasm+native') && has('wasm+kernels') ? [`${(v('wasm+native') / v('wasm+kernels')).toFixed(2)}x`.padStart(13)] : []),
      rss.toFixed(0).padStart(13)].join('  '));
  }

  // The same per CPU second: on a shared machine wall time mostly measures the neighbours.
  // PyTorch's CPU time includes its OpenMP threads' spin-waiting, so its column is a lower bound.
  const cpuHeader = ['model'.padEnd(28), ...cols.map((c) => c.padStart(13)), 'pytorch'.padStart(10),
    ...(has('wasm+native') ? ['native/torch'.padStart(13)] : []), ...(has('wasm+kernels') ? ['wasm+k/torch'.padStart(13)] : [])].join('  ');
  console.log('');
  console.log('samples per CPU-second (user + system, all threads; higher is better)');
  console.log(cpuHeader);
  console.log('-'.repeat(cpuHeader.length));
  for (const spec of MODELS) {
    const v = (c: string) => results.get(`${c}|${spec.name}`)!.samplesPerCpuSecond;
    const torch = typeof peer === 'string' ? undefined : peer.get(spec.peer)?.samplesPerCpuSecond;
    const ratio = (c: string) => (torch != null ? `${(v(c) / torch).toFixed(2)}x` : 'n/a').padStart(13);
    console.log([spec.name.padEnd(28), ...cols.map((c) => v(c).toFixed(2).padStart(13)), (torch != null ? torch.toFixed(2) : 'n/a').padStart(10),
      ...(has('wasm+native') ? [ratio('wasm+native')] : []), ...(has('wasm+kernels') ? [ratio('wasm+kernels')] : [])].join('  '));
  }
}

/** One full-size training step on a fresh model, untimed. */
async function warmUp(spec: ModelSpec): Promise<void> {
  const model = spec.build();
  const xs = tf.randomUniform([spec.batch, ...spec.inputShape], 0, 1, 'float32', 3);
  const ys = tf.tidy(() => tf.oneHot(tf.randomUniform([spec.batch], 0, 10, 'int32', 4), 10).toFloat());
  try {
    await model.trainOnBatch(xs, ys);
  } finally {
    model.dispose();
    tf.dispose([xs, ys]);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
