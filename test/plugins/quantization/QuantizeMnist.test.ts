import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { collab } from '@collabopt/core';
import { quantize } from '../../../plugins/src/quantization/QuantizePlugin';
import { reportMeasure } from '../../helpers/report';
import { accuracy, baselineCnn, mnist, withTrainingBackend } from '../../helpers/mnist';

describe('quantize on MNIST (wasm backend)', function () {
  withTrainingBackend(this, 300_000);

  it('QAT: fake-int8 accuracy within 0.5 point of the float baseline', async () => {
    const { train, test } = await mnist();
    const { model, accuracy: base } = await baselineCnn();
    model.compile({ optimizer: tf.train.adam(0.0005), loss: 'categoricalCrossentropy' });
    const session = collab(model, [quantize()], { onWarning: () => {} });
    await model.fit(train.xs, train.ys, { epochs: 1, batchSize: 64, verbose: 0, callbacks: [session.callback()] });
    // While the session runs, predict() is the emulated int8 model.
    const fakeInt8 = accuracy(model, test);
    await session.finish();
    reportMeasure('QAT fake-int8 accuracy (baseline → QAT)', `${base} → ${fakeInt8}`);
    expect(fakeInt8, `baseline ${base}, QAT fake-int8 ${fakeInt8}`).to.be.at.least(base - 0.005);
    expect(session.state.activationRanges.size).to.be.above(3);
  });

  it('PTQ: calibration only, fake-int8 accuracy within 1 point', async () => {
    const { train, test } = await mnist();
    const { model, accuracy: base } = await baselineCnn();
    const session = collab(model, [quantize({ mode: 'ptq' })], { train: false, onWarning: () => {} });
    await session.calibrate(train.xs, { batchSize: 100, steps: 10 });
    const fakeInt8 = accuracy(model, test);
    await session.finish();
    reportMeasure('PTQ fake-int8 accuracy (baseline → PTQ)', `${base} → ${fakeInt8}`);
    expect(fakeInt8, `baseline ${base}, PTQ fake-int8 ${fakeInt8}`).to.be.at.least(base - 0.01);
  });
});
