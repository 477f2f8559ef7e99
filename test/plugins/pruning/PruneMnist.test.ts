import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { collab } from '@collabopt/core';
import { prune } from '../../../plugins/src/pruning/PrunePlugin';
import { reportMeasure } from '../../helpers/report';
import { accuracy, baselineCnn, mnist, TRAIN_SIZE, withTrainingBackend } from '../../helpers/mnist';

describe('prune on MNIST (wasm backend)', function () {
  withTrainingBackend(this, 300_000);

  it('prunes every kernel of a CNN to 50% and loses at most 1 point of test accuracy', async () => {
    const { train, test } = await mnist();
    const { model, accuracy: base } = await baselineCnn();
    model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy' });
    const stepsPerEpoch = Math.ceil(TRAIN_SIZE / 64);
    const session = collab(model, [prune({ finalSparsity: 0.5, endStep: stepsPerEpoch, frequency: 10 })], { onWarning: () => {} });
    await model.fit(train.xs, train.ys, { epochs: 2, batchSize: 64, verbose: 0, callbacks: [session.callback()] });
    await session.finish();
    for (const name of ['conv1', 'conv2', 'fc1', 'fc2']) {
      const k = model.getLayer(name).getWeights()[0].dataSync();
      const zeros = k.filter((v) => v === 0).length;
      expect(zeros / k.length, name).to.be.closeTo(0.5, 0.5 / k.length + 1e-9);
      expect(session.state.has(`${name}/kernel`, 'sparsity'), name).to.equal(true);
    }
    const pruned = accuracy(model, test);
    reportMeasure('prune 50% accuracy (baseline → optimized)', `${base} → ${pruned}`);
    expect(pruned, `baseline ${base}, pruned ${pruned}`).to.be.at.least(base - 0.01);
  });
});
