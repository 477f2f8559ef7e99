/**
 * Two schedule semantics of `prune` that TFMOT gets wrong or right and the port must get right:
 * - the final sparsity is always applied at `endStep`, even when `endStep` is not on the
 *   `beginStep + k·frequency` grid (TFMOT then never reaches it — often never prunes at all);
 * - while the schedule runs, a mask is computed from weights that took the optimizer's update
 *   since the last mask, so pruned weights can grow back; once the mask is final, nothing moves.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { collab } from '@collabopt/core';
import { prune } from '../../../plugins/src/pruning/PrunePlugin';
import { keptCount } from '../../../plugins/src/pruning/keptCount';
import { detValues, setDetWeights } from '../../helpers/models';

function zeros(t: tf.Tensor): number {
  return tf.tidy(() => tf.sum(tf.equal(t, 0).asType('int32')).dataSync()[0]);
}

/** A callback that runs `fn` after every batch (to look at the weights step by step). */
function afterEachBatch(fn: () => void): tf.Callback {
  return new (class extends tf.Callback {
    override async onBatchEnd() {
      fn();
    }
  })();
}

function denseModel(): tf.LayersModel {
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [8], units: 16, activation: 'relu', name: 'h' }), tf.layers.dense({ units: 4, name: 'out' })],
  });
  setDetWeights(model, 7);
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  return model;
}

const BATCHES = 5;
const xs = () => tf.tensor2d(detValues(BATCHES * 4 * 8, 3), [BATCHES * 4, 8]);
const ys = () => tf.tensor2d(detValues(BATCHES * 4 * 4, 4), [BATCHES * 4, 4]);

describe('prune: the final sparsity is applied at endStep', () => {
  // endStep 8 and '2ep' (10 steps at 5 batches per epoch) are both off the default frequency-100 grid.
  it('fit: endStep 8 with the default frequency reaches finalSparsity and establishes it', async () => {
    const model = denseModel();
    const warnings: string[] = [];
    const session = collab(model, [prune({ finalSparsity: 0.5, endStep: 8 })], { onWarning: (w) => warnings.push(w) });
    await model.fit(xs(), ys(), { epochs: 2, batchSize: 4, verbose: 0, callbacks: [session.callback()] });
    for (const id of ['h/kernel', 'out/kernel']) {
      const w = session.weight(id);
      expect(zeros(w.value()), id).to.equal(w.size - keptCount(w.size, 0.5));
      expect(session.state.get(id, 'sparsity'), id).to.not.equal(undefined);
    }
    await session.finish();
    expect(warnings.filter((w) => /never pruned|no mask update/.test(w))).to.deep.equal([]);
  });

  it('fitDataset: an epoch-position endStep equal to the run length applies the final mask on the last batch', async () => {
    const model = denseModel();
    const session = collab(model, [prune({ finalSparsity: 0.75, endStep: '2ep' })], { onWarning: () => {} });
    const x = xs();
    const y = ys();
    const ds = tf.data.zip({ xs: tf.data.array(tf.unstack(x)), ys: tf.data.array(tf.unstack(y)) }).batch(4);
    const sparsityAt: number[] = [];
    await model.fitDataset(ds, {
      epochs: 2,
      verbose: 0,
      callbacks: [session.callback(), afterEachBatch(() => {
        const w = session.weight('h/kernel');
        sparsityAt.push(zeros(w.value()) / w.size);
      })],
    });
    expect(sparsityAt).to.have.length(10);
    // Nothing on the frequency grid falls in 1..9; step 10 (= '2ep') is the end step.
    expect(sparsityAt.slice(0, 9).every((s) => s === 0)).to.equal(true);
    expect(sparsityAt[9]).to.equal(1 - keptCount(128, 0.75) / 128);
    expect(session.state.get('h/kernel', 'sparsity')).to.not.equal(undefined);
    await session.finish();
  });

  it('custom loop: endStep 3 with frequency 2 recomputes at steps 1 and 3 (not only on the grid)', async () => {
    const model = denseModel();
    const session = collab(model, [prune({ finalSparsity: 0.5, initialSparsity: 0.25, endStep: 4, beginStep: 1, frequency: 2 })], { onWarning: () => {} });
    const optimizer = tf.train.sgd(0.05);
    const x = xs();
    const y = ys();
    const seen: number[] = [];
    for (let step = 1; step <= 6; step++) {
      await session.beforeStep();
      optimizer.minimize(() => tf.losses.meanSquaredError(y, model.predict(x) as tf.Tensor) as tf.Scalar);
      await session.afterStep();
      seen.push(zeros(session.weight('out/kernel').value()));
    }
    // Grid 1, 3 (frequency 2 from beginStep 1); the end step 4 is off it. 64 weights.
    const at = (s: number) => 64 - keptCount(64, s);
    expect(seen[0]).to.equal(at(0.25));
    expect(seen[3]).to.equal(at(0.5));
    expect(seen[5]).to.equal(at(0.5));
    expect(session.state.get('out/kernel', 'sparsity')).to.not.equal(undefined);
    await session.finish();
  });

  it('says before training when a run ends before the schedule can prune', async () => {
    const model = denseModel();
    const warnings: string[] = [];
    const session = collab(model, [prune({ finalSparsity: 0.5, endStep: 50 })], { onWarning: (w) => warnings.push(w) });
    const seenBeforeFirstBatch: string[] = [];
    await model.fit(xs(), ys(), {
      epochs: 1,
      batchSize: 4,
      verbose: 0,
      callbacks: [session.callback(), new (class extends tf.Callback {
        override async onBatchBegin(batch: number) {
          if (batch === 0) seenBeforeFirstBatch.push(...warnings);
        }
      })()],
    });
    expect(seenBeforeFirstBatch.join('\n')).to.match(/this run ends at step 5, before the schedule's end step 50 for h\/kernel, out\/kernel/);
    session.dispose();
  });
});

describe('prune: regrowth while the schedule runs, nothing after it', () => {
  // One Dense unit whose smallest weight is the only useful one: pruned at step 1, the gradient
  // pushes it up while the others are pushed towards 0, so a later mask brings it back.
  function regrowModel(): tf.LayersModel {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 1, useBias: false, name: 'd' })] });
    model.layers[0].setWeights([tf.tensor2d([0.01, 0.3, 0.31, 0.32], [4, 1])]);
    return model;
  }
  const x = () => tf.tensor2d(detValues(64 * 4, 21), [64, 4]);
  const y = (xv: tf.Tensor) => tf.tidy(() => tf.mul(xv.slice([0, 0], [-1, 1]), 2));

  it('a weight pruned by an early mask wins its way back in a later one (Adam, lr 0.05)', async () => {
    const model = regrowModel();
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
    const session = collab(model, [prune({ schedule: { type: 'constantSparsity', targetSparsity: 0.25, frequency: 1, endStep: 30 } })], { onWarning: () => {} });
    const masks: boolean[][] = [];
    const xv = x();
    await model.fit(xv, y(xv), {
      epochs: 30,
      batchSize: 64,
      verbose: 0,
      callbacks: [session.callback(), afterEachBatch(() => {
        masks.push(Array.from(session.weight('d/kernel').value().dataSync()).map((v) => v !== 0));
      })],
    });
    expect(masks[0]).to.deep.equal([false, true, true, true]); // weight 0 pruned first
    const last = masks[masks.length - 1];
    expect(last[0], 'weight 0 regrown').to.equal(true);
    expect(last.filter((k) => !k)).to.have.length(1);
    await session.finish();
  });

  it('after endStep the mask is fixed: pruned weights and their latents stay exactly 0', async () => {
    const model = regrowModel();
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
    const session = collab(model, [prune({ schedule: { type: 'constantSparsity', targetSparsity: 0.25, frequency: 1, endStep: 2 } })], { onWarning: () => {} });
    const values: number[][] = [];
    const latents: number[][] = [];
    const xv = x();
    await model.fit(xv, y(xv), {
      epochs: 30,
      batchSize: 64,
      verbose: 0,
      callbacks: [session.callback(), afterEachBatch(() => {
        const w = session.weight('d/kernel');
        values.push(Array.from(w.value().dataSync()));
        latents.push(Array.from(w.latent!.dataSync()));
      })],
    });
    const finalMask = values[1].map((v) => v !== 0);
    expect(finalMask.filter((k) => !k)).to.have.length(1);
    for (let s = 1; s < values.length; s++) {
      expect(values[s].map((v) => v !== 0), `mask after step ${s + 1}`).to.deep.equal(finalMask);
      finalMask.forEach((kept, i) => {
        if (!kept) expect(latents[s][i], `latent ${i} after step ${s + 1}`).to.equal(0);
      });
    }
    // The useful weight was the one pruned; it never came back once the mask was final.
    expect(finalMask[0]).to.equal(false);
    await session.finish();
  });
});
