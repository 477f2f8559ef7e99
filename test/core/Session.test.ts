import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { collab, Stage, type Session } from '@collabopt/core';
import { testClip, testMask, testRound } from '../helpers/testPlugins';
import { mlpData, smallMlp, weightsOf } from '../helpers/models';

const quiet = { onWarning: () => {} };

describe('Session: latent weights and projections', () => {
  it('fit() sees projected weights and the latent takes exactly the optimizer step (SGD, straight-through)', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 2, useBias: false, name: 'lin' })] });
    model.setWeights([tf.tensor2d([[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1], [0.4, -0.7]])]);
    const lr = 0.1;
    model.compile({ optimizer: tf.train.sgd(lr), loss: 'meanSquaredError' });
    const xs = tf.tensor2d([[1, 2, -1, 0.5], [0.3, -0.2, 0.8, 1], [-1, 0.5, 0.2, -0.3]]);
    const ys = tf.tensor2d([[0.2, -0.1], [0.5, 0.3], [-0.4, 0.6]]);
    const session = collab(model, [testMask({ every: 3 })], { checkEvery: 'step', ...quiet });
    const w = session.weight('lin/kernel');
    const mask = tf.tensor2d([[0, 1], [1, 0], [1, 1], [0, 1]]);

    const seen: { latentBefore: Float32Array; expectedLatent: Float32Array }[] = [];
    // Before each batch: record the latent and compute the expected straight-through step
    // independently: L' = L − lr · ∂loss/∂W evaluated at the projected weights P(L) = L ⊙ mask.
    session.hooks.batchBegin.tap({ name: 'probe', stage: Stage.REPORT }, () => {
      const latent = w.latent!.dataSync().slice() as Float32Array;
      const projected = tf.mul(w.latent!, mask);
      expect(Array.from(w.value().dataSync())).to.deep.equal(Array.from(projected.dataSync()));
      const grad = tf.grad((k: tf.Tensor) => tf.losses.meanSquaredError(ys, tf.matMul(xs, k), undefined, tf.Reduction.MEAN))(projected);
      const expectedLatent = tf.sub(w.latent!, tf.mul(grad, lr)).dataSync().slice() as Float32Array;
      seen.push({ latentBefore: latent, expectedLatent });
    });
    const after: Float32Array[] = [];
    session.hooks.batchEnd.tap({ name: 'probe', stage: Stage.REPORT }, () => {
      after.push(w.latent!.dataSync().slice() as Float32Array);
      // The model holds P(L): masked positions exactly zero.
      const v = w.value().dataSync();
      expect([v[0], v[3], v[6]]).to.deep.equal([0, 0, 0]);
    });
    await model.fit(xs, ys, { epochs: 3, batchSize: 3, shuffle: false, verbose: 0, callbacks: [session.callback()] });
    expect(after).to.have.length(3);
    for (let i = 0; i < 3; i++) {
      const exp = seen[i].expectedLatent;
      after[i].forEach((v, j) => expect(v).to.be.closeTo(exp[j], 1e-6));
      // Masked positions still receive gradient in the latent (straight-through), so they move.
      expect(after[i][0]).to.not.equal(seen[i].latentBefore[0]);
    }
    await session.finish();
    expect(model.getWeights()[0].dataSync()[0]).to.equal(0);
  });

  it('validation inside fit() sees projected weights, also after the last batch', async () => {
    const model = smallMlp();
    model.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });
    const { xs, ys } = mlpData(16);
    const session = collab(model, [testMask({ every: 2 })], quiet);
    // Evaluate the expected validation loss with the final (projected) weights afterwards.
    const history = await model.fit(xs, ys, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0, validationData: [xs, ys], callbacks: [session.callback()] });
    const valLoss = history.history['val_loss'][0] as number;
    const evalLoss = (model.evaluate(xs, ys) as tf.Scalar).dataSync()[0];
    expect(valLoss).to.be.closeTo(evalLoss, 1e-6);
    await session.finish();
  });

  it('pruned latents can be re-zeroed by a projection (setLatent)', async () => {
    const model = smallMlp();
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const { xs, ys } = mlpData(16);
    const session = collab(model, [testMask({ every: 2, zeroLatent: true })], quiet);
    await model.fit(xs, ys, { epochs: 1, batchSize: 8, verbose: 0, callbacks: [session.callback()] });
    const latent = session.weight('d1/kernel').latent!.dataSync();
    for (let i = 0; i < latent.length; i += 2) expect(latent[i]).to.equal(0);
    await session.finish();
  });

  it('every permutation of the plugin list gives bit-identical weights', async () => {
    const lists = [
      [testMask(), testRound(), testClip()],
      [testMask(), testClip(), testRound()],
      [testRound(), testMask(), testClip()],
      [testRound(), testClip(), testMask()],
      [testClip(), testMask(), testRound()],
      [testClip(), testRound(), testMask()],
    ];
    const results: Float32Array[][] = [];
    const orders: string[] = [];
    for (const plugins of lists) {
      const model = smallMlp(7);
      model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
      const { xs, ys } = mlpData(24);
      const session = collab(model, plugins, { checkEvery: 'step', ...quiet });
      orders.push(session.plugins.map((p) => p.name).join(','));
      await model.fit(xs, ys, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0, callbacks: [session.callback()] });
      await session.finish();
      results.push(weightsOf(model));
    }
    expect(new Set(orders).size).to.equal(1);
    expect(orders[0]).to.equal('test-clip,test-mask,test-round');
    for (const r of results.slice(1)) r.forEach((w, i) => expect(Array.from(w)).to.deep.equal(Array.from(results[0][i])));
    // And the result satisfies all three: masked zeros, grid, clip.
    const k = results[0][0];
    for (let i = 0; i < k.length; i++) {
      if (i % 3 === 0) expect(k[i]).to.equal(0);
      expect(Math.abs(k[i])).to.be.at.most(0.5);
      expect(Math.abs(k[i] / 0.05 - Math.round(k[i] / 0.05))).to.be.below(1e-4);
    }
  });

  it('fit, fitDataset and a custom loop give the same weights for the same data', async () => {
    const { xs, ys } = mlpData(24);
    const run = async (kind: 'fit' | 'fitDataset' | 'custom') => {
      const model = smallMlp(11);
      const optimizer = tf.train.sgd(0.1);
      model.compile({ optimizer, loss: 'meanSquaredError' });
      const session = collab(model, [testMask(), testRound()], quiet);
      if (kind === 'fit') {
        await model.fit(xs, ys, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0, callbacks: [session.callback()] });
      } else if (kind === 'fitDataset') {
        const ds = tf.data.zip({ xs: tf.data.array(tf.unstack(xs)), ys: tf.data.array(tf.unstack(ys)) }).batch(8);
        await model.fitDataset(ds as tf.data.Dataset<{ xs: tf.Tensor; ys: tf.Tensor }>, { epochs: 2, verbose: 0, callbacks: [session.callback()] });
      } else {
        for (let epoch = 0; epoch < 2; epoch++) {
          await session.beginEpoch();
          for (let b = 0; b < 3; b++) {
            const x = xs.slice([b * 8, 0], [8, 6]);
            const y = ys.slice([b * 8, 0], [8, 3]);
            await session.beforeStep();
            optimizer.minimize(() => tf.mean(tf.mean(tf.square(tf.sub(model.apply(x) as tf.Tensor, y)), -1)) as tf.Scalar);
            await session.afterStep();
          }
          await session.endEpoch();
        }
      }
      await session.finish();
      return weightsOf(model);
    };
    const a = await run('fit');
    const b = await run('fitDataset');
    const c = await run('custom');
    for (const other of [b, c]) other.forEach((w, i) => w.forEach((v, j) => expect(v).to.be.closeTo(a[i][j], 1e-6)));
  });

  it('keeps tensor count flat across epochs (after epoch 2 and after epoch 20)', async () => {
    const model = smallMlp();
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    const { xs, ys } = mlpData(16);
    const session = collab(model, [testMask(), testRound(), testClip()], { checkEvery: 'step', ...quiet });
    // Counted between fit() calls: inside fit, tfjs's History holds one loss scalar per epoch.
    await model.fit(xs, ys, { epochs: 2, batchSize: 4, verbose: 0, callbacks: [session.callback()] });
    const afterEpoch2 = tf.memory().numTensors;
    await model.fit(xs, ys, { epochs: 18, batchSize: 4, verbose: 0, callbacks: [session.callback()] });
    expect(tf.memory().numTensors).to.equal(afterEpoch2);
    expect(session.step).to.equal(80);
    await session.finish();
    session.dispose();
    // finish() releases latents and last projections (2 per projected weight), dispose() the masks.
    expect(tf.memory().numTensors).to.equal(afterEpoch2 - 3 * 2);
  });

  it('projects at start, so evaluate() before training already sees P(L)', () => {
    const model = smallMlp();
    const session: Session = collab(model, [testMask({ every: 2 })], quiet);
    return session.finish().then(() => {
      const k = model.getWeights()[0].dataSync();
      for (let i = 0; i < k.length; i += 2) expect(k[i]).to.equal(0);
    });
  });
});
