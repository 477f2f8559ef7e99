import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { collab, CompositionError, Stage, type SparsityData } from '@collabopt/core';
import { prune } from '../../../plugins/src/pruning/PrunePlugin';
import { sparsityConstraint } from '../../../plugins/src/pruning/SparsityConstraintPlugin';
import { mlpData, smallMlp } from '../../helpers/models';

const quiet = { onWarning: () => {} };

describe('sparsityConstraint plugin', () => {
  it('keeps every pruned weight exactly zero through fine-tuning with Adam (inherited mask)', async () => {
    const model = smallMlp(21);
    model.compile({ optimizer: tf.train.adam(0.02), loss: 'meanSquaredError' });
    const { xs, ys } = mlpData(32);
    const stage1 = collab(model, [prune({ finalSparsity: 0.6, endStep: 8, frequency: 2 })], { name: 'prune', ...quiet });
    await model.fit(xs, ys, { epochs: 3, batchSize: 8, verbose: 0, callbacks: [stage1.callback()] });
    const { state } = await stage1.finish();
    const masks = ['d1/kernel', 'd2/kernel'].map((id) => Array.from(state.get<SparsityData>(id, 'sparsity')!.data.mask.dataSync()));

    expect(() => collab(model, [], { state, ...quiet })).to.throw(CompositionError, /sparsityConstraint\(\)/);

    model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
    const stage2 = collab(model, [sparsityConstraint()], { state, checkEvery: 'step', ...quiet });
    let checked = 0;
    stage2.hooks.batchEnd.tap({ name: 'probe', stage: Stage.REPORT }, () => {
      ['d1/kernel', 'd2/kernel'].forEach((id, k) => {
        const v = stage2.weight(id).value().dataSync();
        masks[k].forEach((m, i) => {
          if (m === 0) expect(v[i]).to.equal(0);
        });
      });
      checked++;
    });
    const before = model.getWeights()[0].dataSync().slice();
    await model.fit(xs, ys, { epochs: 4, batchSize: 8, verbose: 0, callbacks: [stage2.callback()] });
    expect(checked).to.equal(16);
    // It really trained: surviving weights moved.
    const after = model.getWeights()[0].dataSync();
    expect(after.some((v, i) => masks[0][i] === 1 && v !== before[i])).to.equal(true);
    await stage2.finish();
    expect(stage2.state.get('d1/kernel', 'sparsity')?.establishedBy).to.equal('sparsityConstraint');
    state.dispose();
  });

  it('derives the mask from zeros when no state is inherited (as TFMOT does between stages)', async () => {
    const model = smallMlp(22);
    const w = model.getWeights();
    const k = w[0].dataSync().slice();
    for (let i = 0; i < k.length; i += 4) k[i] = 0;
    model.setWeights([tf.tensor(k, w[0].shape), ...w.slice(1)]);
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const { xs, ys } = mlpData(16);
    const session = collab(model, [sparsityConstraint()], { checkEvery: 'step', ...quiet });
    expect(session.projectedWeights().map((x) => x.id)).to.deep.equal(['d1/kernel']);
    await model.fit(xs, ys, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [session.callback()] });
    await session.finish();
    const out = model.getWeights()[0].dataSync();
    for (let i = 0; i < out.length; i += 4) expect(out[i]).to.equal(0);
  });
});
