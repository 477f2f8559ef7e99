// model.fit() of conv nets on the wasm backend with collabopt's training kernels: it trains, it
// matches the stock cpu backend step for step, and memory stays flat across epochs.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerTrainingKernels, type TrainingKernelRegistration } from '../../../core/src/backend/registerTrainingKernels';
import { expectClose, memorySnapshot, restoreBackendAfterSuite, seeded, withStockCpuKernels, KERNEL_VARIANTS, skipWithoutNative } from './backendTestUtils';

const SIZE = 16;

/**
 * A learnable toy task: a bright 5x5 square in one of four quadrants (the class) on a noisy
 * background, in `channels` channels.
 */
function quadrantData(n: number, channels: number, seed: number): { xs: tf.Tensor4D; ys: tf.Tensor2D } {
  const noise = seeded(n * SIZE * SIZE * channels, seed);
  const x = new Float32Array(noise.length);
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const cls = i % 4;
    labels.push(cls);
    const top = (cls >> 1) * 8 + 1 + (i % 3);
    const left = (cls & 1) * 8 + 1 + ((i >> 2) % 3);
    for (let r = 0; r < SIZE; r++) {
      for (let c = 0; c < SIZE; c++) {
        const inside = r >= top && r < top + 5 && c >= left && c < left + 5;
        for (let ch = 0; ch < channels; ch++) {
          const k = ((i * SIZE + r) * SIZE + c) * channels + ch;
          x[k] = 0.3 * noise[k]! + (inside ? 1 : 0);
        }
      }
    }
  }
  return tf.tidy(() => ({
    xs: tf.tensor4d(x, [n, SIZE, SIZE, channels]),
    ys: tf.oneHot(tf.tensor1d(labels, 'int32'), 4).toFloat() as tf.Tensor2D,
  }));
}

const init = (seed: number) => tf.initializers.glorotUniform({ seed });

/** Conv2D net: same/valid padding, strides 1 and 2, kernels 3 and 5. */
function cnn(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [SIZE, SIZE, 1], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 12, kernelSize: 5, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(2) }),
      tf.layers.conv2d({ filters: 12, kernelSize: 3, padding: 'valid', activation: 'relu', kernelInitializer: init(3) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 4, activation: 'softmax', kernelInitializer: init(4) }),
    ],
  });
}

/** MobileNet-v1 style: conv → (depthwise → BN → ReLU6 → pointwise → BN → ReLU6) blocks. */
function mobileNetStyle(): tf.LayersModel {
  const input = tf.input({ shape: [SIZE, SIZE, 3] });
  const bnRelu6 = (t: tf.SymbolicTensor) =>
    tf.layers.reLU({ maxValue: 6 }).apply(tf.layers.batchNormalization().apply(t)) as tf.SymbolicTensor;
  let x = bnRelu6(tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', useBias: false, kernelInitializer: init(11) }).apply(input) as tf.SymbolicTensor);
  let seed = 12;
  for (const [filters, strides, multiplier] of [[16, 1, 1], [24, 2, 2], [24, 1, 1]] as const) {
    x = bnRelu6(tf.layers.depthwiseConv2d({ kernelSize: 3, strides, depthMultiplier: multiplier, padding: 'same', useBias: false, depthwiseInitializer: init(seed++) }).apply(x) as tf.SymbolicTensor);
    x = bnRelu6(tf.layers.conv2d({ filters, kernelSize: 1, padding: 'same', useBias: false, kernelInitializer: init(seed++) }).apply(x) as tf.SymbolicTensor);
  }
  const pooled = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const output = tf.layers.dense({ units: 4, activation: 'softmax', kernelInitializer: init(seed) }).apply(pooled) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

/** SeparableConv2D net (depthwise multiplier 2, valid and same, stride 2). */
function separableNet(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.separableConv2d({ inputShape: [SIZE, SIZE, 3], filters: 8, kernelSize: 3, depthMultiplier: 2, padding: 'valid', activation: 'relu', depthwiseInitializer: init(21), pointwiseInitializer: init(22) }),
      tf.layers.separableConv2d({ filters: 12, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', depthwiseInitializer: init(23), pointwiseInitializer: init(24) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 4, activation: 'softmax', kernelInitializer: init(25) }),
    ],
  });
}

const MODELS: [string, () => tf.LayersModel, number][] = [
  ['a Conv2D CNN', cnn, 1],
  ['a depthwise-separable MobileNet-style net (BatchNorm + ReLU6)', mobileNetStyle, 3],
  ['a SeparableConv2D net', separableNet, 3],
];

for (const { native, suffix } of KERNEL_VARIANTS) {
describe(`model.fit() on wasm with collabopt training kernels${suffix}`, function () {
  if (skipWithoutNative(native)) return;
  this.timeout(120_000);
  restoreBackendAfterSuite();
  let registration: TrainingKernelRegistration;

  before(async () => {
    // Let the cpu backend print its one-time "install tfjs-node" banner while IS_TEST still
    // silences it.
    await tf.setBackend('cpu');
    tf.tidy(() => tf.scalar(0));
    // tfjs's IS_TEST leak check misfires on wasm for every customGrad op (fused matMul, used by
    // Dense layers): wasm's Identity copies where cpu's shares, and the check counts the copy.
    tf.env().set('IS_TEST', false);
    registration = registerTrainingKernels({ nativeKernels: native });
    expect(registration.kernels.some((k) => k.native), 'native kernels in place').to.equal(native);
    expect(await tf.setBackend('wasm')).to.equal(true);
  });
  after(() => registration.unregister());

  for (const [name, build, channels] of MODELS) {
    it(`trains ${name}: loss decreases and memory stays flat across epochs`, async () => {
      await tf.setBackend('wasm');
      const { xs, ys } = quadrantData(64, channels, 7);
      const model = build();
      model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
      const losses: number[] = [];
      const memory: { tensors: number; dataIds: number }[] = [];
      try {
        await model.fit(xs, ys, {
          epochs: 6,
          batchSize: 16,
          shuffle: false,
          verbose: 0,
          callbacks: {
            onEpochEnd: async (_epoch, logs) => {
              losses.push(logs!['loss'] as number);
              memory.push(memorySnapshot());
            },
          },
        });
        expect(losses.every(Number.isFinite), `losses ${losses}`).to.equal(true);
        expect(losses[losses.length - 1]!, `losses ${losses.map((l) => l.toFixed(3))}`).to.be.lessThan(0.8 * losses[0]!);
        // The optimizer's slots exist after the first step; from then on every epoch ends with
        // exactly the same tensors and data ids.
        for (const m of memory) expect(m, `memory per epoch ${JSON.stringify(memory)}`).to.deep.equal(memory[0]);
        // A second fit() on the same model allocates nothing new either.
        await model.fit(xs, ys, { epochs: 1, batchSize: 16, verbose: 0 });
        expect(memorySnapshot()).to.deep.equal(memory[0]);
      } finally {
        model.dispose();
        tf.dispose([xs, ys]);
      }
    });
  }

  for (const [name, build, channels] of MODELS) {
    it(`one SGD step of ${name} on wasm matches the stock cpu backend`, async () => {
      const magnitudes: number[] = [];
      const step = async (backendName: string): Promise<Float32Array[]> => {
        await tf.setBackend(backendName);
        const { xs, ys } = quadrantData(8, channels, 3);
        const model = build();
        model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
        const before = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
        before.forEach((w, i) => { magnitudes[i] = w.reduce((m, v) => Math.max(m, Math.abs(v)), magnitudes[i] ?? 0); });
        await model.trainOnBatch(xs, ys);
        const deltas = model.getWeights().map((w, i) => Float32Array.from(w.dataSync(), (v, j) => v - before[i]![j]!));
        model.dispose();
        tf.dispose([xs, ys]);
        return deltas;
      };
      const ours = await step('wasm');
      const reference = await withStockCpuKernels(() => step('cpu'));
      expect(ours).to.have.length(reference.length);
      // Weight updates agree to float32 noise (BatchNorm statistics are summed in a different
      // order on the two backends, hence 1e-4 rather than the kernels' 1e-5), but never closer
      // than one float32 step of the weight itself: an update of a weight near 1 (a BatchNorm
      // gamma) that is 1e-4 of it rounds to a multiple of 2⁻²³.
      ours.forEach((d, i) => {
        const scale = reference[i]!.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        const ulp = magnitudes[i]! * 2 ** -23;
        const rtol = scale > 0 ? Math.max(1e-4, (1.01 * ulp) / scale) : 1e-4;
        if (reference[i]!.some((v) => v !== 0)) expectClose(d, reference[i]!, `${name}: update of weight ${i}`, rtol);
      });
    });
  }
});
}
