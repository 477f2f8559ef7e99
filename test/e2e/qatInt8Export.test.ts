/**
 * The deployment leaf of the seed's tree: a QAT'd MNIST CNN exported as a full-integer int8
 * TFLite file agrees with the session's fake-quant model when run by a real TFLite interpreter.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { collab } from '@collabopt/core';
import { exportTflite } from '../../plugins/src/export/tflite/exportTflite';
import { quantize } from '../../plugins/src/quantization/QuantizePlugin';
import { loadTflite } from '../../recipes/src/runner/loadTflite';
import { baselineCnn, mnist, withTrainingBackend } from '../helpers/mnist';
import { reportMeasure } from '../helpers/report';

describe('int8 TFLite export of a QAT MNIST CNN (wasm backend, TFLite interpreter)', function () {
  withTrainingBackend(this, 300_000);

  it('agrees with the fake-quant model on ≥ 99.5% of top-1 predictions and is within 0.5 point of its accuracy', async () => {
    const { train, test } = await mnist();
    const { model } = await baselineCnn();
    model.compile({ optimizer: tf.train.adam(0.0005), loss: 'categoricalCrossentropy' });
    const session = collab(model, [quantize()], { onWarning: () => {} });
    await model.fit(train.xs, train.ys, { epochs: 1, batchSize: 64, verbose: 0, callbacks: [session.callback()] });
    // While the session runs, predict() is the emulated int8 model.
    const emulated = tf.tidy(() => (model.predict(test.xs, { batchSize: 500 }) as tf.Tensor).argMax(-1).dataSync().slice());
    await session.finish();

    const { bytes, report } = await exportTflite(model, { mode: 'int8' }, session.state);
    expect(report.mode).to.equal('int8');
    const interpreter = await loadTflite(bytes);
    expect(interpreter.inputs[0].dtype).to.equal('float32');
    const n = test.labels.length;
    const pixels = test.xs.dataSync();
    const size = 28 * 28;
    let agree = 0;
    let emulatedRight = 0;
    let int8Right = 0;
    for (let i = 0; i < n; i++) {
      const [out] = interpreter.run([pixels.subarray(i * size, (i + 1) * size)]);
      let best = 0;
      for (let c = 1; c < out.data.length; c++) if (out.data[c] > out.data[best]) best = c;
      if (best === emulated[i]) agree++;
      if (best === test.labels[i]) int8Right++;
      if (emulated[i] === test.labels[i]) emulatedRight++;
    }
    const agreement = agree / n;
    const int8Accuracy = int8Right / n;
    const fakeAccuracy = emulatedRight / n;
    reportMeasure('int8 TFLite vs fake-quant (top-1 agreement, accuracy fake → int8)', `${agreement} ${fakeAccuracy} → ${int8Accuracy}`);
    expect(agreement).to.be.at.least(0.995);
    expect(Math.abs(int8Accuracy - fakeAccuracy)).to.be.at.most(0.005);
  });
});
