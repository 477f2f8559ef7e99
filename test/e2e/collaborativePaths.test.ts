/**
 * The seed's collaborative techniques as compositions, on an MNIST CNN trained for real:
 * prune → sparsity-preserving clustering → PCQAT, plus PQAT and CQAT branches. Every stage
 * inherits the previous stage's optimization state; the checks read the final weights.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { collab, type Int8GridData, type OptimizationState, type SparsityData } from '@collabopt/core';
import { cluster } from '../../plugins/src/clustering/ClusterPlugin';
import { prune } from '../../plugins/src/pruning/PrunePlugin';
import { sparsityConstraint } from '../../plugins/src/pruning/SparsityConstraintPlugin';
import { quantize } from '../../plugins/src/quantization/QuantizePlugin';
import { accuracy, baselineCnn, mnist, TRAIN_SIZE, withTrainingBackend } from '../helpers/mnist';
import { reportMeasure } from '../helpers/report';

const KERNELS = ['conv1/kernel', 'conv2/kernel', 'fc1/kernel', 'fc2/kernel'];
const K = 16;
const quiet = { onWarning: () => {} };

function kernel(model: tf.LayersModel, id: string): Float32Array {
  return model.getLayer(id.split('/')[0]).getWeights()[0].dataSync() as Float32Array;
}

function masks(state: OptimizationState): Map<string, Float32Array> {
  return new Map(KERNELS.map((id) => [id, state.get<SparsityData>(id, 'sparsity')!.data.mask.dataSync() as Float32Array]));
}

function expectSparsityKept(model: tf.LayersModel, mask: Map<string, Float32Array>, what: string): void {
  for (const id of KERNELS) {
    const k = kernel(model, id);
    mask.get(id)!.forEach((m, i) => {
      if (m === 0 && k[i] !== 0) expect.fail(`${what}: ${id}[${i}] = ${k[i]} but it was pruned`);
    });
  }
}

function expectAtMostK(model: tf.LayersModel, what: string): void {
  for (const id of KERNELS) expect(new Set(kernel(model, id)).size, `${what}: ${id}`).to.be.at.most(K);
}

function expectOnGrid(model: tf.LayersModel, state: OptimizationState, what: string): void {
  for (const id of KERNELS) {
    const { scales, channels } = state.get<Int8GridData>(id, 'int8-grid')!.data;
    kernel(model, id).forEach((v, i) => {
      const q = v / scales[channels === null ? 0 : i % channels];
      if (Math.abs(q - Math.round(q)) > 1e-3 || Math.abs(q) > 127.001) expect.fail(`${what}: ${id}[${i}] is off the int8 grid`);
    });
  }
}

describe('collaborative optimization paths on MNIST (wasm backend)', function () {
  withTrainingBackend(this, 600_000);

  it('prune → sparsity-preserving cluster → PCQAT keeps every zero and ≤ k values; PQAT and CQAT branches keep theirs', async () => {
    const { train, test } = await mnist();
    const { model, accuracy: base } = await baselineCnn();
    const epoch = Math.ceil(TRAIN_SIZE / 64);
    const fit = (s: ReturnType<typeof collab>, lr: number) => {
      model.compile({ optimizer: tf.train.adam(lr), loss: 'categoricalCrossentropy' });
      return model.fit(train.xs, train.ys, { epochs: 1, batchSize: 64, verbose: 0, callbacks: [s.callback()] });
    };

    const pruning = collab(model, [prune({ finalSparsity: 0.5, endStep: Math.floor(epoch / 2), frequency: 10 })], { name: 'prune', ...quiet });
    await fit(pruning, 0.001);
    const pruned = await pruning.finish();
    const mask = masks(pruned.state);
    const prunedAccuracy = accuracy(model, test);
    const prunedWeights = model.getWeights().map((w) => w.clone());

    // PQAT branch: sparsityConstraint + quantize.
    const pqat = collab(model, [quantize(), sparsityConstraint()], { name: 'pqat', state: pruned.state, checkEvery: 'step', ...quiet });
    await fit(pqat, 0.0005);
    const pqatAccuracy = accuracy(model, test);
    await pqat.finish();
    expectSparsityKept(model, mask, 'PQAT');
    expectOnGrid(model, pqat.state, 'PQAT');
    pqat.dispose();

    // Back to the pruned model: sparsity-preserving clustering.
    model.setWeights(prunedWeights);
    const spc = collab(model, [cluster({ numClusters: K }), sparsityConstraint()], { name: 'sparse-cluster', state: pruned.state, checkEvery: 'step', ...quiet });
    await fit(spc, 0.0005);
    const clustered = await spc.finish();
    expectSparsityKept(model, mask, 'sparsity-preserving clustering');
    expectAtMostK(model, 'sparsity-preserving clustering');
    const clusteredAccuracy = accuracy(model, test);
    const clusteredWeights = model.getWeights().map((w) => w.clone());

    // PCQAT: all three, listed in any order.
    const pcqat = collab(model, [quantize(), sparsityConstraint(), cluster()], { name: 'pcqat', state: clustered.state, checkEvery: 'step', ...quiet });
    expect(pcqat.plugins.map((p) => p.name)).to.deep.equal(['sparsityConstraint', 'cluster', 'quantize']);
    await fit(pcqat, 0.0003);
    const pcqatAccuracy = accuracy(model, test);
    await pcqat.finish();
    expectSparsityKept(model, mask, 'PCQAT');
    expectAtMostK(model, 'PCQAT');
    expectOnGrid(model, pcqat.state, 'PCQAT');
    pcqat.dispose();

    // CQAT branch from the clustered model, letting sparsity go explicitly.
    model.setWeights(clusteredWeights);
    const cqat = collab(model, [cluster(), quantize()], { name: 'cqat', state: clustered.state, release: ['sparsity'], checkEvery: 'step', ...quiet });
    await fit(cqat, 0.0003);
    const cqatAccuracy = accuracy(model, test);
    await cqat.finish();
    expectAtMostK(model, 'CQAT');
    expectOnGrid(model, cqat.state, 'CQAT');
    cqat.dispose();

    reportMeasure('accuracy baseline / pruned / PQAT / sparse-clustered / PCQAT / CQAT',
      [base, prunedAccuracy, pqatAccuracy, clusteredAccuracy, pcqatAccuracy, cqatAccuracy].map((a) => a.toFixed(4)).join(' / '));
    // The optimized models still work (the seed's tables lose a point or two at most).
    for (const a of [prunedAccuracy, pqatAccuracy, clusteredAccuracy, pcqatAccuracy, cqatAccuracy]) expect(a).to.be.above(base - 0.03);
    prunedWeights.forEach((w) => w.dispose());
    clusteredWeights.forEach((w) => w.dispose());
  });
});
