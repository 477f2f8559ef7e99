import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { epochLearningRate, LearningRateSchedule } from '../../../recipes/src/runner/createOptimizer';

describe('runner: learning-rate decay over epochs', () => {
  it('decays geometrically from learningRate to finalLearningRate, or stays constant', () => {
    const spec = { type: 'adam' as const, learningRate: 0.005, finalLearningRate: 0.0005 };
    const rates = [0, 1, 2, 3].map((e) => epochLearningRate(spec, e, 4));
    expect(rates[0]).to.equal(0.005);
    expect(rates[3]).to.be.closeTo(0.0005, 1e-12);
    expect(rates[1] / rates[0]).to.be.closeTo(rates[2] / rates[1], 1e-9);
    expect(epochLearningRate({ type: 'sgd', learningRate: 0.1 }, 3, 4)).to.equal(0.1);
    expect(epochLearningRate(spec, 0, 1)).to.equal(0.005);
  });

  it('sets the rate that fit() trains with at every epoch (adam and sgd)', async () => {
    for (const optimizer of [tf.train.adam(0.01), tf.train.sgd(0.01)]) {
      const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1 })] });
      model.compile({ optimizer, loss: 'meanSquaredError' });
      const seen: number[] = [];
      const probe = new (class extends tf.Callback {
        override async onEpochBegin(): Promise<void> {
          seen.push((optimizer as unknown as { learningRate: number }).learningRate);
        }
      })();
      const spec = { type: 'adam' as const, learningRate: 0.01, finalLearningRate: 0.0001 };
      await model.fit(tf.ones([4, 2]), tf.ones([4, 1]), { epochs: 3, verbose: 0, callbacks: [new LearningRateSchedule(optimizer, spec, 3), probe] });
      expect(seen[0]).to.be.closeTo(0.01, 1e-12);
      expect(seen[1]).to.be.closeTo(0.001, 1e-12);
      expect(seen[2]).to.be.closeTo(0.0001, 1e-12);
    }
  });
});
