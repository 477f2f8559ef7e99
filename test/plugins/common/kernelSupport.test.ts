import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { collab } from '@collabopt/core';
import { kernelSupport } from '../../../plugins/src/common/kernelSupport';
import { prune } from '../../../plugins/src/pruning/PrunePlugin';

describe('kernelSupport: PReLU', () => {
  it("gives PReLU no default weights: prune leaves its slopes alone, silently, and prunes the kernels", async () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [6], units: 8, name: 'd' }), tf.layers.prelu({ name: 'p', alphaInitializer: 'ones' }), tf.layers.dense({ units: 2, name: 'out' })],
    });
    expect(kernelSupport(model.getLayer('p'))).to.deep.equal({ default: [] });
    const warnings: string[] = [];
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const session = collab(model, [prune({ schedule: { type: 'constantSparsity', targetSparsity: 0.5, beginStep: 0, frequency: 1 } })], { onWarning: (w) => warnings.push(String(w)) });
    const xs = tf.randomNormal([8, 6], 0, 1, 'float32', 1);
    const ys = tf.randomNormal([8, 2], 0, 1, 'float32', 2);
    await model.fit(xs, ys, { epochs: 1, batchSize: 4, verbose: 0, callbacks: [session.callback()] });
    await session.finish();
    expect(warnings).to.deep.equal([]);
    expect(Array.from(model.getLayer('p').getWeights()[0]!.dataSync()).every((a) => a !== 0)).to.equal(true);
    const kernel = Array.from(model.getLayer('d').getWeights()[0]!.dataSync());
    expect(kernel.filter((v) => v === 0).length).to.equal(kernel.length / 2);
    tf.dispose([xs, ys]);
    model.dispose();
  });
});
