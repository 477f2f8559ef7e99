import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { collab, preActivationRangeKey } from '@collabopt/core';
import { separableDepthwiseRangeKey } from '../../../plugins/src/common/separableDepthwiseRangeKey';
import { quantize } from '../../../plugins/src/quantization/QuantizePlugin';
import { separableForward } from '../../../plugins/src/quantization/separableForward';
import { detValues, setDetWeights } from '../../helpers/models';

function separableNet(activation: 'relu' | 'sigmoid' = 'relu'): tf.LayersModel {
  const input = tf.input({ shape: [6, 6, 3], name: 'x' });
  const sep = tf.layers.separableConv2d({ filters: 4, kernelSize: 3, padding: 'same', depthMultiplier: 2, activation, name: 'sep' }).apply(input) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 2, name: 'head' }).apply(tf.layers.flatten().apply(sep) as tf.SymbolicTensor) as tf.SymbolicTensor;
  const m = tf.model({ inputs: input, outputs: out });
  setDetWeights(m, 5);
  return m;
}

describe('SeparableConv2D: fake-quant between the halves', () => {
  it('separableForward with nothing between the halves is the layer itself', () => {
    const model = separableNet();
    const x = tf.tensor4d(detValues(2 * 108, 3), [2, 6, 6, 3]);
    const layer = model.getLayer('sep');
    const ours = separableForward(layer, x, (d) => d);
    const theirs = layer.apply(x) as tf.Tensor;
    const diff = tf.max(tf.abs(tf.sub(ours, theirs))).dataSync()[0];
    expect(diff).to.be.below(1e-5);
    tf.dispose([x, ours, theirs]);
    model.dispose();
  });

  it('calibration and QAT record the range between the halves (calibration: min/max of the float depthwise output)', async () => {
    const model = separableNet();
    const xs = tf.tensor4d(detValues(16 * 108, 9), [16, 6, 6, 3]);
    const ptq = collab(model, [quantize({ mode: 'ptq' })], { train: false, onWarning: () => {} });
    await ptq.calibrate(xs);
    const { state } = await ptq.finish();
    const range = state.activationRanges.get(separableDepthwiseRangeKey('sep'));
    expect(range, 'calibrated range').to.not.equal(undefined);
    expect(range!.max).to.be.above(range!.min);
    // The range is the float depthwise output's (calibration observes float activations).
    const dw = model.getLayer('sep') as unknown as { depthwiseKernel: { read(): tf.Tensor4D } };
    const depthwise = tf.depthwiseConv2d(xs as tf.Tensor4D, dw.depthwiseKernel.read(), 1, 'same');
    expect(range!.min).to.be.closeTo(Math.min(0, depthwise.min().dataSync()[0]), 1e-5);
    expect(range!.max).to.be.closeTo(Math.max(0, depthwise.max().dataSync()[0]), 1e-5);
    state.dispose();

    const ys = tf.zeros([16, 2]);
    model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
    const qat = collab(model, [quantize()], { onWarning: () => {} });
    await model.fit(xs, ys, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0, callbacks: [qat.callback()] });
    const trained = (await qat.finish()).state;
    expect(trained.activationRanges.get(separableDepthwiseRangeKey('sep'))).to.not.equal(undefined);
    trained.dispose();
    tf.dispose([xs, ys, depthwise]);
    model.dispose();
  });

  it('with a fixed-range activation: the range between the halves, the value before the activation, no output range', async () => {
    const model = separableNet('sigmoid');
    const xs = tf.tensor4d(detValues(8 * 108, 2), [8, 6, 6, 3]);
    const ptq = collab(model, [quantize({ mode: 'ptq' })], { train: false, onWarning: () => {} });
    await ptq.calibrate(xs);
    const { state } = await ptq.finish();
    expect([...state.activationRanges.keys()].filter((k) => k.startsWith('sep')).sort()).to.deep.equal(
      [preActivationRangeKey('sep'), separableDepthwiseRangeKey('sep')].sort(),
    );
    state.dispose();
    xs.dispose();
    model.dispose();
  });

  it('the layer runs once per forward pass: its call is replaced, not recomputed after it', async () => {
    const model = separableNet();
    const xs = tf.tensor4d(detValues(4 * 108, 4), [4, 6, 6, 3]);
    const kernels = async () => (await tf.profile(() => model.predict(xs) as tf.Tensor)).kernels.map((k) => k.name);
    const plain = await kernels();
    const session = collab(model, [quantize({ mode: 'ptq' })], { train: false, onWarning: () => {} });
    await session.calibrate(xs);
    const calibrating = (await tf.profile(() => session.calibrate(xs))).kernels.map((k) => k.name);
    const emulated = await kernels();
    const count = (names: string[], name: string) => names.filter((n) => n === name).length;
    expect(count(plain, 'DepthwiseConv2dNative')).to.equal(1);
    expect(count(emulated, 'DepthwiseConv2dNative'), 'fake-quant predict').to.equal(1);
    expect(count(calibrating, 'DepthwiseConv2dNative'), 'a calibration batch').to.equal(1);
    (await session.finish()).state.dispose();
    xs.dispose();
    model.dispose();
  });
});
