import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { collab } from '@collabopt/core';
import { cluster } from '../../plugins/src/clustering/ClusterPlugin';
import { prune } from '../../plugins/src/pruning/PrunePlugin';
import { quantize } from '../../plugins/src/quantization/QuantizePlugin';
import { observedFakeQuant, fakeQuantAsymmetric } from '../../plugins/src/quantization/fakeQuantAsymmetric';
import { MovingAverageRangeObserver } from '../../plugins/src/quantization/MovingAverageRangeObserver';
import { detValues, setDetWeights } from '../helpers/models';

function smallCnn(): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 4, kernelSize: 3, activation: 'relu', name: 'conv' }));
  m.add(tf.layers.flatten({ name: 'flat' }));
  m.add(tf.layers.dense({ units: 8, activation: 'relu', name: 'hidden' }));
  m.add(tf.layers.dense({ units: 3, activation: 'softmax', name: 'head' }));
  setDetWeights(m, 5);
  return m;
}

describe('prune + cluster + quantize: per-step steady state', () => {
  it('creates no tensors that outlive a step, over many steps with mask recomputations', async () => {
    const model = smallCnn();
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const xs = tf.tensor4d(detValues(160 * 36, 3), [160, 6, 6, 1]);
    const ys = tf.oneHot(tf.tensor1d(Array.from({ length: 160 }, (_, i) => i % 3), 'int32'), 3).asType('float32');
    // Constant sparsity forever, recomputed every 3 steps: masks keep being replaced, and no
    // invariant is established mid-run, so nothing may add a tensor after the first mask.
    const session = collab(model, [quantize(), cluster({ numClusters: 4 }), prune({ finalSparsity: 0.5, frequency: 3 })], { onWarning: () => {} });
    const counts: number[] = [];
    const probe: tf.CustomCallbackArgs = { onBatchEnd: async () => void counts.push(tf.memory().numTensors) };
    // One epoch of 40 batches: tfjs itself keeps one tensor per epoch.
    await model.fit(xs, ys, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0, callbacks: [session.callback(), new tf.CustomCallback(probe)] });
    expect(counts).to.have.length(40);
    // Step 1 creates the optimizer's slots, step 3 the first mask; from then on the count is flat.
    const settled = counts.slice(3);
    expect(new Set(settled).size, `tensor counts per step: ${counts.join(' ')}`).to.equal(1);
    const sparsity = tf.tidy(() => tf.mean(tf.equal(session.weight('hidden/kernel').value(), 0).asType('float32')).dataSync()[0]);
    expect(sparsity, 'the masks were applied').to.be.at.least(0.5);
    await session.finish();
    session.dispose();
    tf.dispose([xs, ys]);
  });
});

describe('quantize: observer update inside the fake-quant op', () => {
  it('gives what update-then-fake-quantize gives, forward and gradient, and updates once per call', () => {
    const x = tf.tensor2d(detValues(60, 9).map((v) => 3 * v), [6, 10]);
    const dy = tf.tensor2d(detValues(60, 4), [6, 10]);
    for (const startFromFirstBatch of [true, false]) {
      const a = new MovingAverageRangeObserver({ decay: 0.9, startFromFirstBatch });
      const b = new MovingAverageRangeObserver({ decay: 0.9, startFromFirstBatch });
      for (let batch = 0; batch < 3; batch++) {
        const xb = tf.mul(x, batch + 1);
        const [got, gotGrad] = tf.tidy(() => {
          const f = (v: tf.Tensor) => observedFakeQuant(v, (seen) => a.update(seen), a.min, a.max);
          const { value, grad } = tf.valueAndGrad(f)(xb, dy);
          return [value.dataSync(), grad.dataSync()];
        });
        b.update(xb);
        const [want, wantGrad] = tf.tidy(() => {
          const { value, grad } = tf.valueAndGrad((v: tf.Tensor) => fakeQuantAsymmetric(v, b.min, b.max))(xb, dy);
          return [value.dataSync(), grad.dataSync()];
        });
        expect(Array.from(got), `forward, batch ${batch}`).to.deep.equal(Array.from(want));
        expect(Array.from(gotGrad), `gradient, batch ${batch}`).to.deep.equal(Array.from(wantGrad));
        expect([a.min.dataSync()[0], a.max.dataSync()[0]], `range after batch ${batch}`).to.deep.equal([b.min.dataSync()[0], b.max.dataSync()[0]]);
        xb.dispose();
      }
      a.dispose();
      b.dispose();
    }
    tf.dispose([x, dy]);
  });
});
