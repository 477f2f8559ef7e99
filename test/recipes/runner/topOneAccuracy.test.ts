import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { topOneAccuracy } from '../../../recipes/src/runner/topOneAccuracy';

/** A 3-class "classifier" that predicts the index of its largest input (identity Dense). */
function argmaxModel(): tf.LayersModel {
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 3, useBias: false, kernelInitializer: 'identity' })] });
  return model;
}

describe('topOneAccuracy', () => {
  const model = argmaxModel();
  // Predicted classes: 0, 1, 2, 2, 1, 0, 2.
  const xs = tf.tensor2d([[5, 1, 0], [0, 3, 1], [0, 0, 1], [1, 2, 9], [0, 4, 3], [7, 6, 5], [-1, -2, 0]]);
  const ys = tf.zeros([7, 3]);
  after(() => {
    ys.dispose();
    xs.dispose();
    model.dispose();
  });
  const split = (labels: number[]) => ({ xs, ys, labels });

  it('is the share of samples whose largest output is the label', () => {
    expect(topOneAccuracy(model, split([0, 1, 2, 2, 1, 0, 2]))).to.equal(1);
    expect(topOneAccuracy(model, split([0, 1, 2, 0, 0, 0, 0]))).to.equal(4 / 7);
    expect(topOneAccuracy(model, split([1, 2, 0, 0, 0, 1, 1]))).to.equal(0);
  });

  it('gives the same answer whatever the batch size, the last batch partial', () => {
    const labels = [0, 2, 2, 2, 1, 1, 2];
    const whole = topOneAccuracy(model, split(labels));
    expect(whole).to.equal(5 / 7);
    for (const batchSize of [1, 2, 3, 6, 7, 100]) expect(topOneAccuracy(model, split(labels), batchSize), String(batchSize)).to.equal(whole);
  });

  it('leaves no tensors behind', () => {
    const before = tf.memory().numTensors;
    topOneAccuracy(model, split([0, 1, 2, 2, 1, 0, 2]), 2);
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('an empty split is an error, not NaN', () => {
    expect(() => topOneAccuracy(model, { xs, ys: xs, labels: [] })).to.throw('topOneAccuracy: the split has no samples');
  });
});
