// TFLite export benchmark: int8 (full-integer) export of a MobileNet-v1 1.0 (224x224, random
// weights, 4.2M parameters) — conversion, BatchNorm folding, per-channel quantization, read-back
// verification, size report and atomic write.
//
//   npm run bench -- export [--repeats N]
//
// Target: <= 1,000 ms on a 2-core machine. The activation ranges come from one calibration image
// (observeActivationRanges), outside the timed part.
//
// Then the compression the seed's tables report: DEFLATE (zlib 6) of int8 against float32 TFLite
// files of the MNIST CNN along the baseline → prune → sparsity-preserving cluster → PCQAT path
// (one short training epoch per stage on 2,000 images; structure, not accuracy, decides the sizes).
// The last line is the headline: `export: mobilenet-v1 int8 <N> ms` (median of the repeats).
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OptimizationState } from '@collabopt/core';
import { exportTflite } from '../plugins/src/export/tflite/exportTflite';
import { observeActivationRanges } from '../plugins/src/export/tflite/observeActivationRanges';
import { writeTflite } from '../plugins/src/export/tflite/writeTflite';
import { collab, selectBackend, type Plugin } from '@collabopt/core';
import { cluster, formatCompression, prune, quantize, sizeReport, sparsityConstraint } from '@collabopt/plugins';
import { mnistCnn } from '../recipes/src/models/mnistCnn';
import { loadMnist } from '../recipes/src/datasets/loadMnist';
import { mobileNetV1 } from './models';
import { median } from './median';


const argRepeats = process.argv.indexOf('--repeats');
const REPEATS = argRepeats > 0 ? Number(process.argv[argRepeats + 1]) : 3;

/** Glorot-like random weights; BatchNorm statistics in a realistic range. */
function randomize(model: tf.LayersModel): void {
  tf.tidy(() => {
    let seed = 1;
    for (const layer of model.layers) {
      for (const w of layer.weights) {
        const name = w.originalName.split('/').pop()!;
        const shape = w.shape as number[];
        let v: tf.Tensor;
        if (name === 'moving_variance') v = tf.randomUniform(shape, 0.5, 1.5, 'float32', seed++);
        else if (name === 'gamma') v = tf.randomUniform(shape, 0.8, 1.2, 'float32', seed++);
        else if (name === 'moving_mean' || name === 'beta' || name === 'bias') v = tf.randomUniform(shape, -0.1, 0.1, 'float32', seed++);
        else {
          const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1);
          v = tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', seed++);
        }
        w.write(v);
      }
    }
  });
}


async function main(): Promise<void> {
  const model = mobileNetV1();
  randomize(model);
  const params = model.countParams();
  const state = new OptimizationState();
  let t = performance.now();
  const image = tf.randomUniform([1, 224, 224, 3], -1, 1, 'float32', 42);
  await observeActivationRanges(model, image, { state });
  image.dispose();
  console.log(`calibration (1 image, not timed): ${(performance.now() - t).toFixed(0)} ms, ${state.activationRanges.size} ranges`);

  const dir = mkdtempSync(join(tmpdir(), 'collabopt-bench-export-'));
  try {
    const convert: number[] = [];
    const total: number[] = [];
    let last: Awaited<ReturnType<typeof writeTflite>> | null = null;
    for (let r = 0; r < REPEATS; r++) {
      t = performance.now();
      await exportTflite(model, { mode: 'int8' }, state);
      convert.push(performance.now() - t);
      t = performance.now();
      last = await writeTflite(model, join(dir, 'mobilenet_v1.tflite'), { mode: 'int8' }, state);
      total.push(performance.now() - t);
    }
    const report = last!.report;
    console.log('| step | median ms | runs |');
    console.log('|---|---:|---|');
    console.log(`| exportTflite (lower, fold, quantize, serialize, verify) | ${median(convert).toFixed(0)} | ${convert.map((x) => x.toFixed(0)).join(', ')} |`);
    console.log(`| writeTflite (+ zlib-6 size report, atomic write) | ${median(total).toFixed(0)} | ${total.map((x) => x.toFixed(0)).join(', ')} |`);
    console.log(`model: ${params.toLocaleString('en-US')} parameters, ${report.weights.length} kernels, ${report.foldedBatchNorms.length} BatchNorms folded, ` +
      `${report.fusedActivations.length} ReLU6 fused; ops ${report.operators.map((o) => `${o.code} v${o.version} ×${o.count}`).join(', ')}`);
    console.log(`file: ${report.compression}`);
    await compressionAlongPcqatPath();
    console.log(`export: mobilenet-v1 int8 ${median(total).toFixed(0)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** int8 vs float32 file sizes (raw → deflate) of the MNIST CNN after each stage of the PCQAT path. */
async function compressionAlongPcqatPath(): Promise<void> {
  const selection = await selectBackend({ backend: 'wasm', log: false });
  const { xs, ys } = await loadMnist({ split: 'train', limit: 2000 });
  const representative = xs.slice(0, 200);
  const model = mnistCnn();
  const quiet = { onWarning: () => {} };
  const stages: [string, Plugin[]][] = [
    ['baseline', []],
    ['pruned 50%', [prune({ finalSparsity: 0.5, endStep: 20, frequency: 5 })]],
    ['sparse-clustered 16', [sparsityConstraint(), cluster({ numClusters: 16 })]],
    ['PCQAT', [sparsityConstraint(), cluster(), quantize()]],
  ];
  let state = new OptimizationState();
  console.log('\n| MNIST CNN after | float32 .tflite raw → deflate | int8 .tflite raw → deflate |');
  console.log('|---|---|---|');
  for (const [name, plugins] of stages) {
    const session = collab(model, plugins, { name, state, ...quiet });
    model.compile({ optimizer: tf.train.adam(name === 'baseline' ? 0.005 : 0.0005), loss: 'categoricalCrossentropy' });
    await model.fit(xs, ys, { epochs: 1, batchSize: 64, verbose: 0, callbacks: [session.callback()] });
    ({ state } = await session.finish());
    const float = await exportTflite(model, { mode: 'float32' }, state);
    // Float stages get post-training ranges for their int8 file, as the runner does.
    if (!plugins.some((p) => p.name === 'quantize')) await observeActivationRanges(model, representative, { state });
    const int8 = await exportTflite(model, { mode: 'int8' }, state);
    console.log(`| ${name} | ${formatCompression(sizeReport(float.bytes))} | ${formatCompression(sizeReport(int8.bytes))} |`);
  }
  selection.releaseTrainingKernels();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
