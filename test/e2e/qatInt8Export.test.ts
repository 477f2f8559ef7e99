/**
 * The deployment leaf of the seed's tree: a QAT'd MNIST CNN exported as a full-integer int8
 * TFLite file agrees with the session's fake-quant model when run by a real TFLite runtime —
 * LiteRT, the reference, and TFLite 2.9 (alone where LiteRT cannot start, saying so). Where the
 * two runtimes give different outputs the test says on how many, and by how many steps.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { collab } from '@collabopt/core';
import { exportTflite } from '../../plugins/src/export/tflite/exportTflite';
import { quantize } from '../../plugins/src/quantization/QuantizePlugin';
import { runTfliteRows, TFLITE_RUNTIME_LABELS } from '../../recipes/src/runner/TfliteRuntime';
import { outputStepsOf } from '../helpers/int8Fidelity';
import { runtimesToCheck } from '../helpers/liteRt';
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
    const n = test.labels.length;
    const pixels = test.xs.dataSync() as Float32Array;
    const runtimes = await runtimesToCheck('int8 MNIST CNN');
    const outputs: Float32Array[] = [];
    for (const runtime of runtimes) {
      const r = await runTfliteRows(runtime, bytes, [pixels], n);
      expect(r.inputs[0]!.dtype).to.equal('float32');
      const out = r.values[0]!;
      const classes = out.length / n;
      let agree = 0;
      let emulatedRight = 0;
      let int8Right = 0;
      for (let i = 0; i < n; i++) {
        let best = 0;
        for (let c = 1; c < classes; c++) if (out[i * classes + c]! > out[i * classes + best]!) best = c;
        if (best === emulated[i]) agree++;
        if (best === test.labels[i]) int8Right++;
        if (emulated[i] === test.labels[i]) emulatedRight++;
      }
      const agreement = agree / n;
      const int8Accuracy = int8Right / n;
      const fakeAccuracy = emulatedRight / n;
      const label = TFLITE_RUNTIME_LABELS[runtime];
      reportMeasure(`int8 ${label} vs fake-quant (top-1 agreement, accuracy fake → int8)`, `${agreement} ${fakeAccuracy} → ${int8Accuracy}`);
      expect(agreement, label).to.be.at.least(0.995);
      expect(Math.abs(int8Accuracy - fakeAccuracy), label).to.be.at.most(0.005);
      outputs.push(out);
    }
    if (outputs.length === 2) {
      const step = outputStepsOf(bytes)[0]!;
      let differ = 0;
      let maxSteps = 0;
      outputs[0]!.forEach((v, i) => {
        const d = Math.abs(v - outputs[1]![i]!) / step;
        if (d > 1e-4) differ++;
        maxSteps = Math.max(maxSteps, d);
      });
      if (differ > 0) console.log(`    [TFLite 2.9 differs] int8 MNIST CNN: ${differ} of ${outputs[0]!.length} outputs differ from LiteRT (the reference), by up to ${maxSteps.toFixed(0)} output step(s)`);
    }
  });
});
