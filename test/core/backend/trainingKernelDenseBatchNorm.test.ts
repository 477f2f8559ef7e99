// The wasm BatchMatMul kernel and the FusedBatchNorm gradient against the cpu reference, over a
// grid of shapes, transposes, batches and BatchNorm layouts; and no tensor or memory growth over
// many training steps of a depthwise-separable + BatchNormalization network on the wasm path.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { isTrainingKernelConfig } from '../../../core/src/backend/TrainingKernelConfig';
import { expectClose, memorySnapshot, seeded, withTrainingKernelsOnWasm, KERNEL_VARIANTS, skipWithoutNative } from './backendTestUtils';

for (const { native, suffix } of KERNEL_VARIANTS) {
describe(`training kernels: BatchMatMul and the FusedBatchNorm gradient${suffix}`, function () {
  if (skipWithoutNative(native)) return;
  this.timeout(300_000);
  const registration = withTrainingKernelsOnWasm({ nativeKernels: native });

  it('registers the wasm BatchMatMul and the FusedBatchNorm gradient', () => {
    expect(isTrainingKernelConfig(tf.getKernel(tf.BatchMatMul, 'wasm'))).to.equal(true);
    // With the native kernels, the one-pass activation gradients come along.
    expect(registration().gradients).to.deep.equal(native ? [tf.FusedBatchNorm, tf.Conv2D, tf.DepthwiseConv2dNative, tf.Relu, tf.Relu6, tf.ClipByValue] : [tf.FusedBatchNorm, tf.Conv2D, tf.DepthwiseConv2dNative]);
  });

  it('BatchMatMul (wasm) equals cpu over shapes, transposes and batches', async () => {
    const sizes: [number, number, number][] = [[1, 1, 1], [3, 5, 2], [32, 64, 10], [10, 64, 32], [7, 1, 9], [17, 33, 65]];
    const batches: [number[], number[]][] = [[[], []], [[1], [1]], [[2], [2]], [[3], [1]]];
    let seed = 1;
    let cases = 0;
    for (const [m, k, n] of sizes) {
      for (const [ba, bb] of batches) {
        for (const transposeA of [false, true]) {
          for (const transposeB of [false, true]) {
            const aShape = [...ba, ...(transposeA ? [k, m] : [m, k])];
            const bShape = [...bb, ...(transposeB ? [n, k] : [k, n])];
            const a = seeded(aShape.reduce((p, d) => p * d, 1), (seed += 2));
            const b = seeded(bShape.reduce((p, d) => p * d, 1), seed + 1);
            const product = async (backendName: string) => {
              await tf.setBackend(backendName);
              return tf.tidy(() => tf.matMul(tf.tensor(a, aShape), tf.tensor(b, bShape), transposeA, transposeB).dataSync());
            };
            const ours = await product('wasm');
            const reference = await product('cpu');
            expectClose(ours, reference, `matMul m${m} k${k} n${n} batch [${ba}]x[${bb}] tA ${transposeA} tB ${transposeB}`);
            cases++;
          }
        }
      }
    }
    expect(cases).to.equal(96);
  });

  it('Dense backward (tf.grads of a dense layer) on wasm equals cpu', async () => {
    const grads = async (backendName: string) => {
      await tf.setBackend(backendName);
      return tf.tidy(() => {
        const x = tf.tensor(seeded(32 * 96, 3), [32, 96]);
        const w = tf.tensor(seeded(96 * 40, 4), [96, 40]);
        const cot = tf.tensor(seeded(32 * 40, 5), [32, 40]);
        return tf.grads((xi: tf.Tensor, wi: tf.Tensor) => tf.sum(tf.mul(tf.relu(tf.matMul(xi, wi)), cot)))([x, w]).map((g) => g.dataSync());
      });
    };
    const ours = await grads('wasm');
    const reference = await grads('cpu');
    expectClose(ours[0]!, reference[0]!, 'dense dx');
    expectClose(ours[1]!, reference[1]!, 'dense dw');
  });

  // The reference differentiates the batch-norm formula written with elementary ops, so it does
  // not go through any FusedBatchNorm gradient (ours is registered for every backend).
  it('FusedBatchNorm gradient equals the elementary-op reference over ranks, channels, scale/offset presence and moments', async () => {
    const shapes: number[][] = [[2, 5, 4, 3], [1, 3, 3, 8], [8, 1, 1, 4], [3, 6], [4, 2, 5], [5, 7, 3, 1]];
    let seed = 100;
    let cases = 0;
    for (const shape of shapes) {
      const c = shape[shape.length - 1]!;
      const size = shape.reduce((p, d) => p * d, 1);
      for (const withScale of [true, false]) { // false: a constant scale of 1, not differentiated
        for (const withOffset of [true, false]) {
          for (const moments of [false, true]) {
            const xv = seeded(size, (seed += 5));
            const mv = seeded(c, seed + 1);
            const vv = Float32Array.from(seeded(c, seed + 2), (v) => 0.5 + Math.abs(v));
            const sv = seeded(c, seed + 3);
            const ov = seeded(c, seed + 4);
            const cot = seeded(size, seed + 6);
            const eps = 1e-3;
            const grads = async (backendName: string, fused: boolean) => {
              await tf.setBackend(backendName);
              return tf.tidy(() => {
                const x = tf.tensor(xv, shape);
                const args = [x, tf.tensor1d(mv), tf.tensor1d(vv), ...(withScale ? [tf.tensor1d(sv)] : []), ...(withOffset ? [tf.tensor1d(ov)] : [])];
                const loss = (...t: tf.Tensor[]) => {
                  const [xi, mi, vi] = t as [tf.Tensor, tf.Tensor, tf.Tensor];
                  const si = withScale ? t[3] : undefined;
                  const oi = withOffset ? t[withScale ? 4 : 3] : undefined;
                  // With moments, mean and variance depend on x, as in a training BatchNormalization.
                  let mean = mi;
                  let variance = vi;
                  if (moments) {
                    const m = tf.moments(xi, shape.map((_, i) => i).slice(0, -1));
                    mean = tf.add(m.mean, mi);
                    variance = tf.add(m.variance, vi);
                  }
                  const y = fused
                    // tfjs's tape cannot differentiate a batchNorm whose scale or offset is absent
                    // (it walks the undefined input), so absent ones are constants here.
                    ? tf.batchNorm(xi, mean, variance, oi ?? tf.zeros([c]), si ?? tf.ones([c]), eps)
                    : tf.add(tf.mul(tf.mul(tf.sub(xi, mean), tf.rsqrt(tf.add(variance, tf.scalar(eps)))), si ?? tf.scalar(1)), oi ?? tf.scalar(0));
                  return tf.sum(tf.mul(y, tf.tensor(cot, shape)));
                };
                return tf.grads(loss)(args).map((g) => g.dataSync());
              });
            };
            const ours = await grads('wasm', true);
            const reference = await grads('cpu', false);
            const label = `batchNorm [${shape}] scale ${withScale} offset ${withOffset} moments ${moments}`;
            const names = ['x', 'mean', 'variance', ...(withScale ? ['scale'] : []), ...(withOffset ? ['offset'] : [])];
            expect(ours).to.have.length(names.length);
            for (const [i, name] of names.entries()) expectClose(ours[i]!, reference[i]!, `${label} d${name}`, 1e-4);
            cases++;
          }
        }
      }
    }
    expect(cases).to.equal(48);
  });

  it('trains a depthwise-separable + BatchNormalization network for many steps without tensor or memory growth', async () => {
    await tf.setBackend('wasm');
    const input = tf.input({ shape: [12, 12, 1] });
    let x = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', useBias: false }).apply(input) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
    x = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU().apply(x) as tf.SymbolicTensor;
    x = tf.layers.conv2d({ filters: 8, kernelSize: 1, useBias: false }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
    x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
    x = tf.layers.dense({ units: 16, activation: 'relu' }).apply(x) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 4, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy' });
    const xs = tf.tensor(seeded(16 * 144, 7), [16, 12, 12, 1]);
    const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 4), 'int32'), 4).toFloat());
    try {
      for (let i = 0; i < 3; i++) await model.trainOnBatch(xs, ys); // optimizer slots, first-use state
      const before = memorySnapshot();
      const rssBefore = process.memoryUsage().rss;
      const heapBytes = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength;
      const heapBefore = heapBytes();
      const losses: number[] = [];
      for (let i = 0; i < 150; i++) losses.push(await model.trainOnBatch(xs, ys) as number);
      expect(memorySnapshot()).to.deep.equal(before);
      expect(heapBytes(), 'wasm heap size after 150 more steps').to.equal(heapBefore);
      expect(process.memoryUsage().rss - rssBefore, 'RSS growth over 150 steps').to.be.below(64 * 1024 * 1024);
      expect(losses.every(Number.isFinite), 'losses stay finite').to.equal(true);
      expect(losses[losses.length - 1]!, 'the fixed batch is learned').to.be.below(losses[0]!);
    } finally {
      model.dispose();
      tf.dispose([xs, ys]);
    }
  });
});
}
