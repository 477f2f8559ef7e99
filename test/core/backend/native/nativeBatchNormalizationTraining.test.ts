// BatchNormalization's training step on the two native kernels (the interception of
// tfjs-layers' BatchNormalization.call) against the stock path on cpu: forward, moving statistics
// after several steps, gradients of x, gamma and beta, over shapes, batch sizes and axes; the
// statistics' own gradients at the kernel level; the stock fallbacks and errors; serialization;
// the portable (non-AVX) kernels in a child process; and no growth over a long run.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { BackendError } from '../../../../core/src/backend/BackendError';
import { BATCH_NORM_TRAINING_GRAD_KERNEL, BATCH_NORM_TRAINING_KERNEL } from '../../../../core/src/backend/collaboptKernelNames';
import { setNativeBatchNormalizationTraining } from '../../../../core/src/backend/native/nativeBatchNormalizationTraining';
import { expectClose, memorySnapshot, seeded, skipWithoutNative, withTrainingKernelsOnWasm } from '../backendTestUtils';
import { compareLayerGrid, LAYER_CASES } from './batchNormTrainingCases';

describe('BatchNormalization training on the native kernels', function () {
  if (skipWithoutNative(true)) return;
  this.timeout(600_000);
  withTrainingKernelsOnWasm({ nativeKernels: true });

  it('registers both kernels on wasm', () => {
    expect(tf.getKernel(BATCH_NORM_TRAINING_KERNEL, 'wasm')).to.not.equal(undefined);
    expect(tf.getKernel(BATCH_NORM_TRAINING_GRAD_KERNEL, 'wasm')).to.not.equal(undefined);
    expect(tf.getGradient(BATCH_NORM_TRAINING_KERNEL)).to.not.equal(undefined);
  });

  it('equals the stock layer on cpu over ranks 2–4, batch sizes, momentum/epsilon and axes (forward, gradients, moving statistics, inference)', async () => {
    expect(await compareLayerGrid()).to.equal(LAYER_CASES.length);
  });

  it('differentiates through the batch statistics (the kernel against tf.moments + batchNorm on cpu)', async () => {
    for (const shape of [[4, 3, 5, 6], [32, 10], [2, 7, 9]]) {
      const c = shape[shape.length - 1]!;
      const size = shape.reduce((p, d) => p * d, 1);
      const data = {
        x: Float32Array.from(seeded(size, 1), (v) => 2 * v - 1), scale: seeded(c, 2), offset: seeded(c, 3),
        wy: seeded(size, 4), wm: seeded(c, 5), wv: seeded(c, 6),
      };
      const run = async (backendName: string, fused: boolean) => {
        await tf.setBackend(backendName);
        return tf.tidy(() => {
          const [x, scale, offset] = [tf.tensor(data.x, shape), tf.tensor(data.scale), tf.tensor(data.offset)];
          const f = (xi: tf.Tensor, si: tf.Tensor, oi: tf.Tensor) => {
            let y: tf.Tensor; let mean: tf.Tensor; let variance: tf.Tensor;
            if (fused) {
              [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAINING_KERNEL, { x: xi, scale: si, offset: oi }, { varianceEpsilon: 1e-3 }) as tf.Tensor[] as [tf.Tensor, tf.Tensor, tf.Tensor];
            } else {
              ({ mean, variance } = tf.moments(xi, shape.slice(0, -1).map((_, i) => i)));
              y = tf.batchNorm(xi, mean, variance, oi, si, 1e-3);
            }
            return tf.addN([tf.sum(tf.mul(y, tf.tensor(data.wy, shape))), tf.sum(tf.mul(mean, tf.tensor(data.wm))), tf.sum(tf.mul(variance, tf.tensor(data.wv)))]) as tf.Scalar;
          };
          const { value, grads } = tf.valueAndGrads(f)([x, scale, offset]);
          return [value, ...grads].map((t) => t.dataSync() as Float32Array);
        });
      };
      const ours = await run('wasm', true);
      const reference = await run('cpu', false);
      for (const [i, name] of ['loss', 'dx', 'dscale', 'doffset'].entries()) expectClose(ours[i]!, reference[i]!, `[${shape}] ${name}`, 2e-5);
    }
  });

  it('throws a BackendError naming the kernel for parameters that are not per channel', async () => {
    await tf.setBackend('wasm');
    tf.tidy(() => {
      const call = () => tf.engine().runKernel(BATCH_NORM_TRAINING_KERNEL, { x: tf.ones([2, 3]), scale: tf.ones([2]), offset: tf.ones([3]) }, { varianceEpsilon: 1e-3 });
      expect(call).to.throw(BackendError, /CollaboptBatchNormTraining: collabopt's native wasm kernel cannot take these inputs/);
    });
  });

  it('leaves center/scale false as the stock path has it (the same error on wasm as on cpu)', async () => {
    for (const args of [{ center: false }, { scale: false }]) {
      const messages: string[] = [];
      for (const backendName of ['wasm', 'cpu']) {
        await tf.setBackend(backendName);
        const layer = tf.layers.batchNormalization(args);
        const x = tf.ones([4, 3]);
        try {
          expect(() => layer.apply(x, { training: true })).to.throw(TypeError);
          try { layer.apply(x, { training: true }); } catch (e) { messages.push((e as Error).message); }
          // Inference works without gamma or beta, on the stock path.
          const y = layer.apply(x, { training: false }) as tf.Tensor;
          expect(y.shape).to.deep.equal([4, 3]);
          y.dispose();
        } finally {
          x.dispose();
          layer.dispose();
        }
      }
      expect(messages[0]).to.equal(messages[1]);
    }
  });

  it('keeps the layer class, its serialization and the uninstall path', async () => {
    await tf.setBackend('wasm');
    const entry = tf.serialization.SerializationMap.getMap().classNameMap['BatchNormalization']!;
    const patched = (entry[0].prototype as unknown as { call: unknown }).call;
    setNativeBatchNormalizationTraining(false);
    const original = (entry[0].prototype as unknown as { call: unknown }).call;
    try {
      expect(original).to.not.equal(patched);
      // Without the interception, training runs the stock ops on wasm.
      const layer = tf.layers.batchNormalization();
      const x = tf.tensor(seeded(24, 1), [4, 6]);
      const info = await tf.profile(() => { (layer.apply(x, { training: true }) as tf.Tensor).dispose(); });
      expect(info.kernelNames).to.not.include(BATCH_NORM_TRAINING_KERNEL);
      expect(info.kernelNames).to.include(tf.FusedBatchNorm);
      tf.dispose([x]);
      layer.dispose();
    } finally {
      setNativeBatchNormalizationTraining(true);
    }
    expect((entry[0].prototype as unknown as { call: unknown }).call).to.not.equal(original);
    setNativeBatchNormalizationTraining(true); // idempotent: a second install does not wrap the patch
    const input = tf.input({ shape: [5, 5, 3] });
    const out = tf.layers.batchNormalization({ momentum: 0.7, epsilon: 0.01 }).apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    try {
      const json = model.toJSON(null, false) as tf.io.ModelJSON['modelTopology'];
      const layers = (json as unknown as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
      const bn = layers.find((l) => l.class_name === 'BatchNormalization')!;
      expect(bn.config).to.include({ axis: -1, momentum: 0.7, epsilon: 0.01, center: true, scale: true });
      const restored = await tf.models.modelFromJSON({ modelTopology: json });
      expect(restored.layers[1]!.getClassName()).to.equal('BatchNormalization');
      expect(restored.layers[1]).to.be.instanceOf(entry[0]);
      restored.dispose();
    } finally {
      model.dispose();
    }
  });

  it('equals the stock layer with the portable (non-AVX) kernels (child process, COLLABOPT_NATIVE_ISA=scalar)', function () {
    const root = path.resolve(__dirname, '../../../..');
    const script = `
      require('@tensorflow/tfjs-backend-wasm');
      require('./core/src/backend/node');
      const { registerTrainingKernels } = require('./core/src/backend/registerTrainingKernels');
      const { loadNativeAddon } = require('./core/src/backend/native/loadNativeAddon');
      const { compareLayerGrid } = require('./test/core/backend/native/batchNormTrainingCases');
      registerTrainingKernels();
      compareLayerGrid().then((cases) => {
        process.stdout.write(JSON.stringify({ isa: loadNativeAddon().addon.info().isa, cases }));
      }, (e) => { console.error(e); process.exit(1); });`;
    const child = spawnSync(process.execPath, ['--conditions=source', '-r', 'ts-node/register', '-e', script], {
      cwd: root, encoding: 'utf8', env: { ...process.env, COLLABOPT_NATIVE_ISA: 'scalar' },
    });
    expect(child.status, child.stderr).to.equal(0);
    expect(JSON.parse(child.stdout)).to.deep.equal({ isa: 'scalar', cases: LAYER_CASES.length });
  });

  it('trains a depthwise-separable network with BatchNormalization for many steps on the fused kernels without tensor or memory growth', async () => {
    await tf.setBackend('wasm');
    const input = tf.input({ shape: [14, 14, 1] });
    let x = tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', useBias: false }).apply(input) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
    for (let block = 0; block < 2; block++) {
      x = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor;
      x = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
      x = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
      x = tf.layers.conv2d({ filters: 16, kernelSize: 1, useBias: false }).apply(x) as tf.SymbolicTensor;
      x = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
      x = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
    }
    x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 4, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy' });
    const xs = tf.tensor(seeded(16 * 196, 7), [16, 14, 14, 1]);
    const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 4), 'int32'), 4).toFloat());
    try {
      for (let i = 0; i < 3; i++) await model.trainOnBatch(xs, ys); // optimizer slots, first-use state
      const info = await tf.profile(async () => { await model.trainOnBatch(xs, ys); });
      const count = (name: string) => info.kernels.filter((k) => k.name === name).length;
      expect(count(BATCH_NORM_TRAINING_KERNEL), 'fused forwards per step').to.equal(5);
      expect(count(BATCH_NORM_TRAINING_GRAD_KERNEL), 'fused backwards per step').to.equal(5);
      expect(count(tf.FusedBatchNorm), 'no stock batch norm left').to.equal(0);
      const before = memorySnapshot();
      const rssBefore = process.memoryUsage().rss;
      const heapBytes = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength;
      const heapBefore = heapBytes();
      const losses: number[] = [];
      for (let i = 0; i < 200; i++) losses.push(await model.trainOnBatch(xs, ys) as number);
      expect(memorySnapshot()).to.deep.equal(before);
      expect(heapBytes(), 'wasm heap size after 200 more steps').to.equal(heapBefore);
      expect(process.memoryUsage().rss - rssBefore, 'RSS growth over 200 steps').to.be.below(64 * 1024 * 1024);
      expect(losses.every(Number.isFinite), 'losses stay finite').to.equal(true);
      expect(losses[losses.length - 1]!, 'the fixed batch is learned').to.be.below(losses[0]!);
    } finally {
      model.dispose();
      tf.dispose([xs, ys]);
    }
  });
});
