import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { collab, loadModel, PluginOptionsError, Session, SessionError, TargetError, type SparsityData } from '@collabopt/core';
import { checkNMSparsity } from '../../../plugins/src/pruning/checkNMSparsity';
import { prune } from '../../../plugins/src/pruning/PrunePlugin';
import { getPruneHooks, type SparsityReport } from '../../../plugins/src/pruning/PruneHooks';
import { keptCount } from '../../../plugins/src/pruning/keptCount';
import { detValues, setDetWeights } from '../../helpers/models';

const quiet = { onWarning: () => {} };

function zeros(t: tf.Tensor): number {
  return tf.tidy(() => tf.sum(tf.equal(t, 0).asType('int32')).dataSync()[0]);
}

/** Conv2D, Conv2DTranspose, SeparableConv2D, Dense. */
function imageModel(): tf.LayersModel {
  const m = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 4, kernelSize: 3, padding: 'same', name: 'conv' }),
      tf.layers.conv2dTranspose({ filters: 3, kernelSize: 3, padding: 'same', name: 'convT' }),
      tf.layers.separableConv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'sep' }),
      tf.layers.batchNormalization({ name: 'bn' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, name: 'dense' }),
    ],
  });
  setDetWeights(m, 3);
  return m;
}

/** Embedding, Conv1D, LSTM, GRU, SimpleRNN, Dense. */
function sequenceModel(): tf.LayersModel {
  const m = tf.sequential({
    layers: [
      tf.layers.embedding({ inputDim: 12, outputDim: 6, inputLength: 5, name: 'emb' }),
      tf.layers.conv1d({ filters: 6, kernelSize: 2, padding: 'same', name: 'conv1d' }),
      tf.layers.lstm({ units: 5, returnSequences: true, name: 'lstm' }),
      tf.layers.gru({ units: 4, returnSequences: true, name: 'gru' }),
      tf.layers.simpleRNN({ units: 4, name: 'rnn' }),
      tf.layers.dense({ units: 2, name: 'out' }),
    ],
  });
  setDetWeights(m, 5);
  return m;
}

describe('prune plugin', () => {
  const cases: [string, () => tf.LayersModel, () => [tf.Tensor, tf.Tensor], string[]][] = [
    ['image layers', imageModel, () => [tf.tensor4d(detValues(8 * 72, 9), [8, 6, 6, 2]), tf.tensor2d(detValues(24, 10), [8, 3])], ['conv/kernel', 'convT/kernel', 'sep/pointwise_kernel', 'dense/kernel']],
    [
      'sequence layers',
      sequenceModel,
      () => [tf.tensor2d(Array.from({ length: 40 }, (_, i) => (i * 7) % 12), [8, 5]), tf.tensor2d(detValues(16, 11), [8, 2])],
      ['emb/embeddings', 'conv1d/kernel', 'lstm/kernel', 'lstm/recurrent_kernel', 'gru/kernel', 'gru/recurrent_kernel', 'rnn/kernel', 'rnn/recurrent_kernel', 'out/kernel'],
    ],
  ];
  for (const [label, make, data, expectedIds] of cases) {
    it(`brings every supported ${label} to exactly the scheduled sparsity and keeps it through finish, save and load`, async () => {
      const model = make();
      model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
      const [xs, ys] = data();
      const session = collab(model, [prune({ schedule: { type: 'constantSparsity', targetSparsity: 0.5, frequency: 1 } })], { checkEvery: 'step', ...quiet });
      const ids = session.projectedWeights().map((w) => w.id);
      expect(ids).to.deep.equal(expectedIds);
      const h = await model.fit(xs, ys, { epochs: 2, batchSize: 4, verbose: 0, callbacks: [session.callback()] });
      for (const id of ids) {
        const w = session.weight(id);
        expect(zeros(w.value()), id).to.equal(w.size - keptCount(w.size, 0.5));
      }
      expect(Object.keys(h.history)).to.include.members(['sparsity', `sparsity/${expectedIds[0].split('/')[0]}`]);
      await session.finish();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prune-'));
      await session.save(dir);
      const { model: loaded, state } = await loadModel(dir);
      for (const id of ids) {
        const w = session.weight(id);
        const rec = state.get<SparsityData>(id, 'sparsity');
        expect(rec, id).to.not.equal(undefined);
        const loadedValue = loaded.getWeights()[model.weights.findIndex((v) => v === w.variable)];
        expect(zeros(loadedValue), id).to.equal(w.size - keptCount(w.size, 0.5));
        // The saved mask is the mask of the weights.
        expect(Array.from(tf.tidy(() => tf.notEqual(loadedValue, 0).asType('float32')).dataSync())).to.deep.equal(Array.from(rec!.data.mask.dataSync()));
      }
      state.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    });
  }

  it('follows polynomial decay step by step (TFMOT: 0.2 after 1 batch, 0.6 after 4, frozen after end) and across save/resume', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [20], units: 10, name: 'd' })] });
    setDetWeights(model, 2);
    model.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });
    const xs = tf.tensor2d(detValues(80, 3), [4, 20]);
    const ys = tf.tensor2d(detValues(40, 4), [4, 10]);
    const plugin = () => prune({ schedule: { type: 'polynomialDecay', initialSparsity: 0.2, finalSparsity: 0.6, beginStep: 1, endStep: 4, frequency: 1 } });
    const session = collab(model, [plugin()], { checkEvery: 'step', ...quiet });
    const seen: number[] = [];
    const reports: SparsityReport[] = [];
    getPruneHooks(session).sparsity.tap('probe', (r) => reports.push(r));
    session.hooks.batchEnd.tap({ name: 'probe', stage: 2000 }, () => {
      seen.push(zeros(session.weight('d/kernel').value()) / 200);
    });
    await model.fit(xs, ys, { epochs: 2, batchSize: 4, verbose: 0, callbacks: [session.callback()] });
    // Step 1: 0.2; step 2: 0.6 + (0.2 − 0.6)(1 − 1/3)^3 = 0.4815 → round(200 · 0.5185) = 104 kept.
    expect(seen).to.deep.equal([0.2, 0.48]);
    expect(reports.map((r) => r.overall)).to.deep.equal([0.2, 0.48]);
    expect(session.state.has('d/kernel', 'sparsity')).to.equal(false); // schedule not ended yet (end step 4)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prune-resume-'));
    await session.save(dir);
    session.dispose();
    const resumed = await Session.load(dir, [plugin()], { checkEvery: 'step', ...quiet });
    const after: number[] = [];
    resumed.hooks.batchEnd.tap({ name: 'probe', stage: 2000 }, () => after.push(zeros(resumed.weight('d/kernel').value()) / 200));
    await resumed.model.fit(xs, ys, { epochs: 4, batchSize: 4, verbose: 0, callbacks: [resumed.callback()] });
    // Step 3: 0.6 − 0.4 · (1/3)^3 = 0.5852 → 83 kept; from step 4 the mask is frozen at exactly 0.6.
    expect(after).to.deep.equal([0.585, 0.6, 0.6, 0.6]);
    expect(resumed.state.get('d/kernel', 'sparsity')?.establishedBy).to.equal('prune');
    await resumed.finish();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('accepts epoch-based schedules when steps per epoch are known', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [8], units: 8, name: 'd' })] });
    setDetWeights(model, 4);
    model.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });
    const session = collab(model, [prune({ finalSparsity: 0.75, beginStep: '1ep', endStep: '2ep', frequency: 1 })], quiet);
    const perEpoch: number[] = [];
    session.hooks.epochEnd.tap({ name: 'probe', stage: 2000 }, () => perEpoch.push(zeros(session.weight('d/kernel').value()) / 64));
    // 16 samples / batch 4 = 4 steps per epoch: prune from step 4 to step 8.
    await model.fit(tf.tensor2d(detValues(128, 1), [16, 8]), tf.tensor2d(detValues(128, 2), [16, 8]), { epochs: 3, batchSize: 4, verbose: 0, callbacks: [session.callback()] });
    expect(perEpoch[0]).to.equal(0); // step 4 prunes at 0 sparsity (polynomial decay starts at initialSparsity 0)
    expect(perEpoch[1]).to.equal(0.75);
    expect(perEpoch[2]).to.equal(0.75);
    await session.finish();
  });

  it('prunes N:M (2:4) once at the first step and blocks of rank-2 kernels', async () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [8], units: 8, name: 'a' }), tf.layers.dense({ units: 8, name: 'b' })],
    });
    setDetWeights(model, 6);
    model.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });
    const session = collab(
      model,
      [prune({ finalSparsity: 0.5, frequency: 1, layers: [{ select: ['a'], nm: {} }, { select: ['b'], block: { size: [2, 2] } }] })],
      { checkEvery: 'step', ...quiet },
    );
    await model.fit(tf.tensor2d(detValues(64, 1), [8, 8]), tf.tensor2d(detValues(64, 2), [8, 8]), { epochs: 2, batchSize: 4, verbose: 0, callbacks: [session.callback()] });
    expect(checkNMSparsity(session.weight('a/kernel').value(), { m: 2, n: 4 }).ok).to.equal(true);
    expect(zeros(session.weight('a/kernel').value())).to.equal(32);
    expect(session.state.get('a/kernel', 'sparsity')?.establishedBy).to.equal('prune');
    const b = session.weight('b/kernel').value().arraySync() as number[][];
    for (let i = 0; i < 8; i += 2) {
      for (let j = 0; j < 8; j += 2) {
        const block = [b[i][j], b[i][j + 1], b[i + 1][j], b[i + 1][j + 1]];
        expect(block.every((v) => v === 0) || block.every((v) => v !== 0), `block ${i},${j}`).to.equal(true);
      }
    }
    expect(zeros(session.weight('b/kernel').value())).to.equal(32);
    await session.finish();
  });

  it('rejects bad options and impossible structures with clear errors', () => {
    expect(() => prune({ finalSparsity: 1 })).to.throw(PluginOptionsError, /\/finalSparsity: expected < 1, received 1/);
    expect(() => prune({})).to.throw(PluginOptionsError, /give finalSparsity/);
    expect(() => prune({ finalSparsity: 0.5, endStep: 10, beginStep: 20 })).to.throw(PluginOptionsError, /endStep/);
    expect(() => prune({ schedule: { type: 'polynomialDecay', finalSparsity: 0.5 } as never })).to.throw(PluginOptionsError, /\/schedule/);
    expect(() => collab(imageModel(), [prune({ finalSparsity: 0.5, block: { size: [2, 2] } })], quiet)).to.throw(TargetError, /block sparsity needs a rank-2 kernel, but 'conv\/kernel' has shape \[3,3,2,4\]/);
    expect(() => collab(imageModel(), [prune({ finalSparsity: 0.5, include: ['bn'] })], quiet)).to.throw(TargetError, /layer "bn" \(BatchNormalization\) was selected explicitly, but prune has nothing to do on BatchNormalization layers/);
  });

  it('reports an epoch-based schedule that cannot be resolved (unknown steps per epoch)', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 2, name: 'd' })] });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const session = collab(model, [prune({ finalSparsity: 0.5, endStep: '1ep' })], quiet);
    const ds = tf.data.generator(function* () {
      for (let i = 0; i < 3; i++) yield { xs: tf.ones([2, 4]), ys: tf.ones([2, 2]) };
    });
    const err = await model.fitDataset(ds, { epochs: 1, verbose: 0, callbacks: [session.callback()] }).catch((e) => e);
    expect(err).to.be.instanceOf(SessionError);
    expect((err as Error).message).to.match(/given in epochs, but the training loop does not say how many steps an epoch has.*batchesPerEpoch/s);
    session.dispose();
  });
});
