import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { collab, Stage, StateError, type SparsityData } from '@collabopt/core';
import { cluster } from '../../../plugins/src/clustering/ClusterPlugin';
import { prune } from '../../../plugins/src/pruning/PrunePlugin';
import { sparsityConstraint } from '../../../plugins/src/pruning/SparsityConstraintPlugin';
import { detValues, mlpData, setDetWeights, smallMlp } from '../../helpers/models';

const quiet = { onWarning: () => {} };

function distinct(values: ArrayLike<number>): number {
  return new Set(Array.from(values, (v) => (v === 0 ? 0 : v))).size;
}

function maxDistinctPerChannel(values: ArrayLike<number>, channels: number): number {
  const sets = Array.from({ length: channels }, () => new Set<number>());
  for (let i = 0; i < values.length; i++) sets[i % channels].add(values[i]);
  return Math.max(...sets.map((s) => s.size));
}

function cnn(): tf.LayersModel {
  const m = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 3], filters: 8, kernelSize: 3, padding: 'same', name: 'conv' }),
      tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', name: 'dw' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 4, name: 'head' }),
    ],
  });
  setDetWeights(m, 13);
  return m;
}

describe('cluster plugin', () => {
  it('leaves at most k distinct values per kernel (per channel when asked), biases untouched, weights and centroids trained', async () => {
    const model = cnn();
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    const xs = tf.tensor4d(detValues(16 * 108, 2), [16, 6, 6, 3]);
    const ys = tf.tensor2d(detValues(64, 3), [16, 4]);
    const session = collab(
      model,
      [cluster({ numClusters: 8, layers: [{ select: ['conv'], perChannel: true, numClusters: 4 }, { select: ['dw'], perChannel: true, numClusters: 3 }] })],
      { checkEvery: 'step', ...quiet },
    );
    expect(session.projectedWeights().map((w) => w.id)).to.deep.equal(['conv/kernel', 'dw/depthwise_kernel', 'head/kernel']);
    const biasBefore = model.getWeights()[1].dataSync().slice();
    let centroidsAtStart: string | null = null;
    session.hooks.batchBegin.tap({ name: 'probe', stage: Stage.REPORT }, ({ step }) => {
      if (step === 1) centroidsAtStart = JSON.stringify(session.plugins[0].saveState!());
    });
    const latentStart: Float32Array[] = [];
    session.hooks.trainBegin.tap({ name: 'probe', stage: Stage.REPORT }, () => {
      for (const w of session.projectedWeights()) latentStart.push(w.latent!.dataSync().slice() as Float32Array);
    });
    await model.fit(xs, ys, { epochs: 3, batchSize: 4, verbose: 0, callbacks: [session.callback()] });
    const centroidsAtEnd = JSON.stringify(session.plugins[0].saveState!());
    expect(centroidsAtEnd).to.not.equal(centroidsAtStart);
    session.projectedWeights().forEach((w, i) => {
      const latent = w.latent!.dataSync();
      expect(Array.from(latent).some((v, j) => v !== latentStart[i][j]), `${w.id} latent moved`).to.equal(true);
    });
    await session.finish();
    const [convK, convB, dwK, , headK, headB] = model.getWeights();
    expect(maxDistinctPerChannel(convK.dataSync(), 8)).to.be.at.most(4);
    expect(distinct(convK.dataSync())).to.be.above(4);
    expect(maxDistinctPerChannel(dwK.dataSync(), 16)).to.be.at.most(3); // 8 inputs × multiplier 2
    expect(distinct(headK.dataSync())).to.be.at.most(8);
    expect(distinct(headB.dataSync())).to.equal(4); // not clustered
    // Biases train normally, unclustered.
    expect(Array.from(convB.dataSync())).to.not.deep.equal(Array.from(biasBefore));
    expect(session.state.get('conv/kernel', 'clusters')?.data).to.deep.equal({ k: 4, channels: 8 });
    expect(session.state.get('dw/depthwise_kernel', 'clusters')?.data).to.deep.equal({ k: 3, channels: 16 });
  });

  it('clusters a pruned model without losing a single zero (prune → sparsityConstraint + cluster)', async () => {
    const model = smallMlp(31);
    model.compile({ optimizer: tf.train.adam(0.02), loss: 'meanSquaredError' });
    const { xs, ys } = mlpData(32);
    const stage1 = collab(model, [prune({ finalSparsity: 0.5, endStep: 4, frequency: 1 })], { name: 'prune', ...quiet });
    await model.fit(xs, ys, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [stage1.callback()] });
    const { state } = await stage1.finish();
    const mask = state.get<SparsityData>('d1/kernel', 'sparsity')!.data.mask.dataSync().slice();
    const sparsityBefore = mask.filter((m) => m === 0).length / mask.length;

    // Listed in either order: same composition.
    const stage2 = collab(model, [cluster({ numClusters: 6 }), sparsityConstraint()], { state, checkEvery: 'step', ...quiet });
    expect(stage2.plugins.map((p) => p.name)).to.deep.equal(['sparsityConstraint', 'cluster']);
    stage2.hooks.batchEnd.tap({ name: 'probe', stage: Stage.REPORT }, () => {
      const v = stage2.weight('d1/kernel').value().dataSync();
      mask.forEach((m, i) => m === 0 && expect(v[i]).to.equal(0));
    });
    await model.fit(xs, ys, { epochs: 3, batchSize: 8, verbose: 0, callbacks: [stage2.callback()] });
    await stage2.finish();
    const k = model.getWeights()[0].dataSync();
    expect(distinct(k)).to.be.at.most(6);
    expect(Array.from(k).filter((v) => v === 0).length / k.length).to.be.at.least(sparsityBefore);
    expect(Array.from(k)).to.include(0);
    state.dispose();
  });

  it("moves centroids by the mean of their members' steps: bounded by the optimizer's step size under Adam", async () => {
    const lr = 0.01;
    const run = async (rule: 'mean' | 'sum') => {
      const model = smallMlp(41);
      model.compile({ optimizer: tf.train.adam(lr), loss: 'meanSquaredError' });
      const { xs, ys } = mlpData(32);
      const session = collab(model, [cluster({ numClusters: 4, centroidUpdate: rule, include: ['d1'] })], quiet);
      const centroids = () => (session.plugins[0].saveState!() as Record<string, { centroids: number[] }>)['d1/kernel']?.centroids;
      let largest = 0;
      let before: number[] | undefined;
      session.hooks.batchBegin.tap({ name: 'probe', stage: Stage.REPORT }, () => {
        before = centroids();
      });
      session.hooks.batchEnd.tap({ name: 'probe', stage: Stage.REPORT }, () => {
        const after = centroids()!;
        after.forEach((c, i) => (largest = Math.max(largest, Math.abs(c - before![i]))));
      });
      const h = await model.fit(xs, ys, { epochs: 6, batchSize: 8, verbose: 0, callbacks: [session.callback()] });
      await session.finish();
      return { loss: h.history['loss'] as number[], largest };
    };
    const mean = await run('mean');
    const sum = await run('sum');
    // Adam moves every weight by about lr; a centroid taking the mean of its members' moves does too.
    expect(mean.largest).to.be.above(0.1 * lr);
    expect(mean.largest).to.be.at.most(1.5 * lr);
    expect(mean.loss[5]).to.be.below(mean.loss[0]);
    // Summing the members' (already normalised) moves multiplies the step by up to the member count (12 here).
    expect(sum.largest).to.be.above(3 * lr);
  });

  it('recovers inherited clusters (CQAT) as the distinct values, so nothing moves at start', async () => {
    const model = smallMlp(51);
    const stage1 = collab(model, [cluster({ numClusters: 5, include: ['d1'] })], { name: 'cluster', ...quiet });
    const { state } = await stage1.finish();
    const before = model.getWeights()[0].dataSync().slice();
    const stage2 = collab(model, [cluster({ numClusters: 99, include: ['d1'] })], { state, ...quiet });
    await stage2.finish();
    expect(Array.from(model.getWeights()[0].dataSync())).to.deep.equal(Array.from(before));
    expect(stage2.state.get('d1/kernel', 'clusters')?.data).to.deep.equal({ k: 5, channels: null });
    // Weights that no longer fit the inherited invariant are an error, not a silent re-clustering.
    const w = model.getWeights();
    model.setWeights([tf.tensor(detValues(w[0].size, 3), w[0].shape), ...w.slice(1)]);
    const stage3 = collab(model, [cluster({ include: ['d1'] })], { state, ...quiet });
    const err = await stage3.finish().catch((e) => e);
    expect(err).to.be.instanceOf(StateError);
    expect(err.message).to.match(/'d1\/kernel' inherits at most 5 clusters but has 48 distinct values/);
    state.dispose();
  });

  it('leaves layers with fewer weights than clusters unclustered, with a warning (TFMOT #979)', () => {
    const warnings: string[] = [];
    const model = cnn();
    const s = collab(model, [cluster({ numClusters: 32, perChannel: true, include: ['conv', 'head'] })], { onWarning: (m) => warnings.push(m) });
    expect(s.projectedWeights().map((w) => w.id)).to.deep.equal(['head/kernel']);
    expect(warnings.join('\n')).to.match(/conv\/kernel \(27 weights per channel < 32 clusters\)/);
    s.dispose();
  });
});
