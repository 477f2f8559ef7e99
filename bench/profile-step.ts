// Kernel-time profile of one training step (tf.profile) on wasm with the selected kernels.
//   node --conditions=source -r ts-node/register bench/profile-step.ts <mnist-node|mobilenet|ds-cnn> [native|composed]
import * as tf from '@tensorflow/tfjs';
import '../core/src/backend/node';
import { selectBackend } from '../core/src/backend/selectBackend';
import { dsCnn, mnistNodeCnn, mobileNetV1 } from './models';

async function main(): Promise<void> {
  const [name = 'ds-cnn', mode = 'native'] = process.argv.slice(2);
  tf.env().set('PROD', true);
  await selectBackend({ backend: 'wasm', nativeKernels: mode === 'native', log: false });
  const build = name === 'mnist-node' ? mnistNodeCnn : name === 'mobilenet' ? () => mobileNetV1(0.25, [32, 32, 3], 10) : () => dsCnn();
  const shape = name === 'mobilenet' ? [32, 32, 3] : [28, 28, 1];
  const batch = name === 'ds-cnn' ? 64 : 32;
  const model = build();
  model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy' });
  const xs = tf.randomUniform([batch, ...shape]);
  const ys = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32'), 10).toFloat();
  for (let i = 0; i < 2; i++) await model.trainOnBatch(xs, ys);
  const t0 = performance.now();
  const info = await tf.profile(async () => { await model.trainOnBatch(xs, ys); });
  const wall = performance.now() - t0;
  const by = new Map<string, { ms: number; n: number }>();
  for (const k of info.kernels) {
    const e = by.get(k.name) ?? { ms: 0, n: 0 };
    e.ms += k.kernelTimeMs as number;
    e.n++;
    by.set(k.name, e);
  }
  const rows = [...by].sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((s, r) => s + r[1].ms, 0);
  console.log(`${name} ${mode}: step wall ${wall.toFixed(0)} ms (profiled), kernels ${total.toFixed(0)} ms`);
  if (process.env.CO_DETAIL) for (const k of info.kernels.filter((q) => q.name === process.env.CO_DETAIL)) console.log("   ", k.name, JSON.stringify(k.inputShapes), (k.kernelTimeMs as number).toFixed(2));
  for (const [k, e] of rows.slice(0, 18)) console.log(`  ${k.padEnd(36)} ${e.ms.toFixed(1).padStart(8)} ms  x${e.n}`);
}
main().catch((e) => { console.error(e); process.exit(1); });
