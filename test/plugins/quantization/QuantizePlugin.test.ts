import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { collab, preActivationRangeKey, SessionError, TargetError, type Int8GridData } from '@collabopt/core';
import { quantize } from '../../../plugins/src/quantization/QuantizePlugin';
import { cluster } from '../../../plugins/src/clustering/ClusterPlugin';
import { detValues, setDetWeights } from '../../helpers/models';

const quiet = { onWarning: () => {} };

function convNet(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 2], name: 'img' });
  let x = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'conv' }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'bn' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ name: 'relu' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'relu6', name: 'dw' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten({ name: 'flat' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 5, activation: 'softmax', name: 'head' }).apply(x) as tf.SymbolicTensor;
  const m = tf.model({ inputs: input, outputs: out });
  setDetWeights(m, 17);
  return m;
}

const data = () => ({
  xs: tf.tensor4d(detValues(16 * 128, 5), [16, 8, 8, 2]),
  ys: tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 5), 'int32'), 5).asType('float32'),
});

describe('quantize plugin', () => {
  it('quantizes weights per output channel (conv), per real output channel (depthwise ×2), per tensor (dense)', async () => {
    const model = convNet();
    const session = collab(model, [quantize()], { checkEvery: 'step', ...quiet });
    await session.beforeStep();
    const grid = (id: string) => session.state.get<Int8GridData>(id, 'int8-grid')!.data;
    expect(grid('conv/kernel').scales.length).to.equal(4);
    expect(grid('conv/kernel').channels).to.equal(4);
    expect(grid('dw/depthwise_kernel').scales.length).to.equal(8); // 4 inputs × multiplier 2
    expect(grid('dw/depthwise_kernel').channels).to.equal(8);
    expect(grid('head/kernel').scales.length).to.equal(1);
    expect(grid('head/kernel').channels).to.equal(null);
    // The projected kernel is exactly scale · q with q in [-127, 127], and the largest |q| is 127.
    const w = session.weight('conv/kernel').value().dataSync();
    const scales = grid('conv/kernel').scales;
    let maxQ = 0;
    w.forEach((v, i) => {
      const q = v / scales[i % 4];
      expect(Math.abs(q - Math.round(q))).to.be.below(1e-4);
      maxQ = Math.max(maxQ, Math.abs(Math.round(q)));
    });
    expect(maxQ).to.equal(127);
    session.dispose();
  });

  it('places activation fake-quant like TFLite fuses ops, trains, and hands the ranges to export', async () => {
    const model = convNet();
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const { xs, ys } = data();
    const session = collab(model, [quantize()], { checkEvery: 'step', ...quiet });
    const h = await model.fit(xs, ys, { epochs: 3, batchSize: 8, verbose: 0, callbacks: [session.callback()] });
    expect((h.history['loss'] as number[])[2]).to.be.below((h.history['loss'] as number[])[0]);
    // Outputs of a quantized layer take at most 256 values; the relu6 depthwise output is one of them.
    const dwOut = tf.model({ inputs: model.inputs, outputs: model.getLayer('dw').output as tf.SymbolicTensor });
    const levels = new Set(Array.from((dwOut.predict(xs) as tf.Tensor).dataSync()));
    expect(levels.size).to.be.at.most(256);
    expect(levels.size).to.be.above(16);
    await session.finish();
    const ranges = [...session.state.activationRanges.keys()].sort();
    // conv feeds BN and BN feeds ReLU: one range after the ReLU. Pooling and flatten keep theirs.
    // Softmax is quantized before the activation. The model input is observed where consumed.
    expect(ranges).to.deep.equal(['dw', 'img', preActivationRangeKey('head'), 'relu'].sort());
    const relu = session.state.activationRanges.get('relu')!;
    expect(relu.min).to.equal(0);
    expect(relu.max).to.be.above(0);
    // After finish the hooks are gone: the dw output is float again.
    const after = new Set(Array.from((dwOut.predict(xs) as tf.Tensor).dataSync()));
    expect(after.size).to.be.above(256);
  });

  it('calibrates ranges after training-free post-training quantization, and insists on calibration', async () => {
    const model = convNet();
    const { xs } = data();
    const ptq = collab(model, [quantize({ mode: 'ptq' })], { train: false, ...quiet });
    await ptq.calibrate(xs, { batchSize: 4 });
    // Calibration saw float activations: the observed input range is the data's range.
    await ptq.finish();
    const input = ptq.state.activationRanges.get('img')!;
    expect(input.min).to.be.closeTo(xs.min().dataSync()[0], 1e-6);
    expect(input.max).to.be.closeTo(xs.max().dataSync()[0], 1e-6);

    const uncalibrated = collab(convNet(), [quantize({ mode: 'ptq' })], { train: false, ...quiet });
    const err = await uncalibrated.finish().catch((e) => e);
    expect(err).to.be.instanceOf(SessionError);
    expect(err.message).to.match(/call session\.calibrate/);
    // A calibration-only session refuses to train.
    const m = convNet();
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const s = collab(m, [quantize({ mode: 'ptq' })], { train: false, ...quiet });
    const err2 = await m.fit(xs, data().ys, { verbose: 0, callbacks: [s.callback()] }).catch((e) => e);
    expect(err2.message).to.match(/train: false/);
    s.dispose();
  });

  it('keeps k clustered values at ≤ k int8 values: per-tensor clusters are quantized per tensor (TFMOT #1056)', async () => {
    const model = convNet();
    model.compile({ optimizer: tf.train.adam(0.005), loss: 'categoricalCrossentropy' });
    const { xs, ys } = data();
    const session = collab(model, [quantize(), cluster({ numClusters: 6, include: ['conv'] })], { checkEvery: 'step', ...quiet });
    await model.fit(xs, ys, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [session.callback()] });
    await session.finish();
    const k = model.getLayer('conv').getWeights()[0].dataSync();
    expect(new Set(Array.from(k)).size).to.be.at.most(6);
    const grid = session.state.get<Int8GridData>('conv/kernel', 'int8-grid')!.data;
    expect(grid.channels).to.equal(null);
    const q = new Set(Array.from(k, (v) => Math.round(v / grid.scales[0])));
    expect(q.size).to.be.at.most(6);
  });

  it('refuses layers with weights it cannot quantize unless excluded', () => {
    const m = tf.sequential({
      layers: [
        tf.layers.embedding({ inputDim: 10, outputDim: 4, inputLength: 3, name: 'emb' }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2, name: 'out' }),
      ],
    });
    expect(() => collab(m, [quantize()], quiet)).to.throw(TargetError, /emb \(Embedding\).*exclude: \["emb"\]/);
    const s = collab(m, [quantize({ exclude: ['emb'] })], quiet);
    expect(s.projectedWeights().map((w) => w.id)).to.deep.equal(['out/kernel']);
    s.dispose();
  });
});

describe('quantize plugin: tensors', () => {
  // Trains a few steps in a custom loop (no trainEnd: the int8-grid scales of the last projection
  // are still on the backend, the observers' variables alive), then leaves the session by
  // `dispose()` or `finish()`; either way the count of tensors is back where it was, and after
  // finish() the scales are numbers that outlive the session.
  async function steps(model: tf.LayersModel, session: ReturnType<typeof collab>, n: number, { xs, ys }: { xs: tf.Tensor; ys: tf.Tensor }): Promise<void> {
    const optimizer = tf.train.sgd(0.01);
    for (let i = 0; i < n; i++) {
      await session.beforeStep();
      optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar);
      await session.afterStep();
    }
    optimizer.dispose();
  }

  for (const leave of ['dispose', 'finish'] as const) {
    it(`leaves no tensors behind when the session is left by ${leave}()${leave === 'dispose' ? ' without finish()' : ''}`, async () => {
      const model = convNet();
      const batch = data();
      const before = tf.memory().numTensors;
      const session = collab(model, [quantize()], quiet);
      await steps(model, session, 3, batch);
      expect(tf.memory().numTensors, 'the session holds tensors while it trains').to.be.above(before);
      if (leave === 'finish') {
        const { state } = await session.finish();
        const scales = state.get<Int8GridData>('conv/kernel', 'int8-grid')!.data.scales;
        expect(scales.length).to.equal(4);
        expect(Array.from(scales).every((s) => s > 0)).to.equal(true);
        session.dispose();
        expect(state.get<Int8GridData>('conv/kernel', 'int8-grid'), 'disposing the finished session drops its state').to.equal(undefined);
        expect(scales[0], 'numbers read before stay valid').to.be.above(0);
      } else {
        session.dispose();
      }
      expect(tf.memory().numTensors).to.equal(before);
      tf.dispose([batch.xs, batch.ys]);
    });
  }
});
