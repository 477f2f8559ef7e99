// Training throughput of conv nets on the three Node backends collabopt can use without
// tfjs-node, measured side by side in one process:
//
//   cpu-stock     tfjs's cpu backend as shipped
//   cpu+kernels   cpu with collabopt's Conv2DBackpropFilter
//   wasm+kernels  tfjs-backend-wasm with collabopt's training kernels (what selectBackend picks)
//
// Models: the CNN of tfjs-examples/mnist-node (conv32-conv32-pool-conv64-conv64-pool-dense512-
// dense10, rmsprop) and MobileNet-v1 alpha 0.25 on 32x32x3 (10 classes). Each cell times whole
// training steps (model.trainOnBatch) on random data after a warm-up, until --min-seconds have
// passed (at least one step): the stock cpu path takes minutes per mnist-node step, so it is timed
// on as many steps as fit, never whole epochs.
//
//   npm run bench -- train-throughput [--batch-size 32] [--min-seconds 15]
//
// Target: wasm+kernels >= 30x cpu-stock on the mnist-node CNN.
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import '../core/src/backend/node';
import { selectBackend } from '../core/src/backend/selectBackend';
import { registerTrainingKernels } from '../core/src/backend/registerTrainingKernels';
import { mnistNodeCnn, mobileNetV1 } from './models';

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`train-throughput: ${name} needs a positive number, got '${process.argv[i + 1]}'`);
  return v;
}

const BATCH = argValue('--batch-size', 32);
const MIN_SECONDS = argValue('--min-seconds', 15);

/** The models as the examples train them: rmsprop, categorical cross-entropy. */
function compiled(build: () => tf.LayersModel): () => tf.LayersModel {
  return () => {
    const model = build();
    model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy' });
    return model;
  };
}

interface ModelSpec { name: string; build: () => tf.LayersModel; inputShape: number[] }
const MODELS: ModelSpec[] = [
  { name: 'mnist-node CNN (28x28x1)', build: compiled(mnistNodeCnn), inputShape: [28, 28, 1] },
  { name: 'MobileNet-v1 0.25 (32x32x3)', build: compiled(() => mobileNetV1(0.25, [32, 32, 3], 10)), inputShape: [32, 32, 3] },
];

interface Config { name: string; setup: () => Promise<() => void>; fullWarmup: boolean }
const CONFIGS: Config[] = [
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
      const selection = await selectBackend({ backend: 'wasm', log: (line) => console.log(`  ${line}`) });
      return () => selection.releaseTrainingKernels();
    },
    fullWarmup: true,
  },
];

interface Cell { samplesPerSecond: number; steps: number; seconds: number }

async function measure(spec: ModelSpec): Promise<Cell> {
  const model = spec.build();
  const xs = tf.randomUniform([BATCH, ...spec.inputShape], 0, 1, 'float32', 1);
  const ys = tf.tidy(() => tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32', 2), 10).toFloat());
  const step = async (x: tf.Tensor, y: tf.Tensor) => {
    await model.trainOnBatch(x, y);
  };
  try {
    // Builds the optimizer's slots and warms the JIT without paying for a full stock-cpu step.
    const [x2, y2] = [xs.slice(0, 2), ys.slice(0, 2)];
    await step(x2, y2);
    tf.dispose([x2, y2]);
    let steps = 0;
    const start = performance.now();
    let elapsed = 0;
    while (steps === 0 || elapsed < MIN_SECONDS * 1000) {
      await step(xs, ys);
      steps++;
      elapsed = performance.now() - start;
    }
    return { samplesPerSecond: (steps * BATCH) / (elapsed / 1000), steps, seconds: elapsed / 1000 };
  } finally {
    model.dispose();
    tf.dispose([xs, ys]);
  }
}

async function main(): Promise<void> {
  tf.env().set('PROD', true); // no "install tfjs-node" banner, no debug checks
  console.log(`train-throughput: batch ${BATCH}, each cell >= ${MIN_SECONDS} s of training steps (at least one) after warm-up`);
  console.log(`  Node ${process.version}, ${os.cpus().length} CPUs, @tensorflow/tfjs ${tf.version.tfjs}`);
  const results = new Map<string, Cell>();
  for (const config of CONFIGS) {
    const teardown = await config.setup();
    try {
      for (const spec of MODELS) {
        // One full-size step first, so the timed steps do not include first-use costs.
        if (config.fullWarmup) await warmUp(spec);
        const cell = await measure(spec);
        results.set(`${config.name}|${spec.name}`, cell);
        console.log(`  ${config.name.padEnd(12)} ${spec.name.padEnd(28)} ${cell.samplesPerSecond.toFixed(2).padStart(9)} samples/s  (${cell.steps} steps in ${cell.seconds.toFixed(1)} s)`);
      }
    } finally {
      teardown();
    }
  }

  const cols = CONFIGS.map((c) => c.name);
  const header = ['model'.padEnd(28), ...cols.map((c) => c.padStart(13)), 'cpu+k/stock'.padStart(12), 'wasm+k/stock'.padStart(13)].join('  ');
  console.log('');
  console.log('samples/s (higher is better)');
  console.log(header);
  console.log('-'.repeat(header.length));
  let mnistSpeedup = NaN;
  for (const spec of MODELS) {
    const v = (c: string) => results.get(`${c}|${spec.name}`)!.samplesPerSecond;
    const cpuRatio = v('cpu+kernels') / v('cpu-stock');
    const wasmRatio = v('wasm+kernels') / v('cpu-stock');
    if (spec === MODELS[0]) mnistSpeedup = wasmRatio;
    console.log([spec.name.padEnd(28), ...cols.map((c) => v(c).toFixed(2).padStart(13)), `${cpuRatio.toFixed(1)}x`.padStart(12), `${wasmRatio.toFixed(1)}x`.padStart(13)].join('  '));
  }
  console.log(`train-throughput: wasm+kernels vs cpu-stock speedup ${mnistSpeedup.toFixed(1)}x (mnist-node CNN)`);
}

/** One full-size training step on a fresh model, untimed. */
async function warmUp(spec: ModelSpec): Promise<void> {
  const model = spec.build();
  const xs = tf.randomUniform([BATCH, ...spec.inputShape], 0, 1, 'float32', 3);
  const ys = tf.tidy(() => tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32', 4), 10).toFloat());
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
