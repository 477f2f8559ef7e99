import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { collab } from '@collabopt/core';
import { cluster } from '../../../plugins/src/clustering/ClusterPlugin';
import { reportMeasure } from '../../helpers/report';
import { accuracy, baselineCnn, mnist, withTrainingBackend } from '../../helpers/mnist';

describe('cluster on MNIST (wasm backend)', function () {
  withTrainingBackend(this, 300_000);

  it('clusters every kernel of a CNN to 16 values and loses at most 1 point of test accuracy', async () => {
    const { train, test } = await mnist();
    const { model, accuracy: base } = await baselineCnn();
    model.compile({ optimizer: tf.train.adam(0.0005), loss: 'categoricalCrossentropy' });
    const session = collab(model, [cluster({ numClusters: 16 })], { onWarning: () => {} });
    await model.fit(train.xs, train.ys, { epochs: 1, batchSize: 64, verbose: 0, callbacks: [session.callback()] });
    await session.finish();
    for (const name of ['conv1', 'conv2', 'fc1', 'fc2']) {
      const [k, b] = model.getLayer(name).getWeights();
      expect(new Set(k.dataSync()).size, name).to.be.at.most(16);
      expect(new Set(b.dataSync()).size, `${name} bias untouched`).to.be.above(Math.min(16, b.size - 1));
    }
    const clustered = accuracy(model, test);
    reportMeasure('cluster 16 accuracy (baseline → optimized)', `${base} → ${clustered}`);
    expect(clustered, `baseline ${base}, clustered ${clustered}`).to.be.at.least(base - 0.01);
  });
});
