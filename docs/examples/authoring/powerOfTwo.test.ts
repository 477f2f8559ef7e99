/**
 * Tests of the example plugins of docs/guides/authoring-plugins.md — the tests a plugin author
 * writes (mocha + chai). Run by test/docs/examples.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { collab, CompositionError, loadModel, PluginOptionsError, type Session } from '@collabopt/core';
import { prune, quantize, sparsityConstraint } from '@collabopt/plugins';
import { powerOfTwo, PowerOfTwoInvariant } from './powerOfTwo';
import { weightMonitor } from './weightMonitor';

// #region helpers
function createModel(): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [8], units: 16, activation: 'relu', name: 'fc1' }),
      tf.layers.dense({ units: 3, name: 'fc2' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  return model;
}

const xs = () => tf.randomUniform([64, 8], -1, 1, 'float32', 1);
const ys = () => tf.randomUniform([64, 3], -1, 1, 'float32', 2);
const quiet = { onWarning: () => {} };

/** Two epochs of four batches with the session's callback. */
async function train(model: tf.LayersModel, session: Session): Promise<tf.History> {
  return model.fit(xs(), ys(), { epochs: 2, batchSize: 16, verbose: 0, callbacks: [session.callback()] });
}

const kernel = (model: tf.LayersModel, layer: string) => model.getLayer(layer).getWeights()[0].dataSync();
// #endregion helpers

describe('powerOfTwo plugin (docs example)', () => {
  // #region options
  it('validates its options when made, naming the option', () => {
    expect(() => powerOfTwo({ minExponent: 2, maxExponent: 1 })).to.throw(PluginOptionsError, /\/minExponent: expected at most maxExponent \(1\)/);
    expect(() => powerOfTwo({ minExponnt: -4 } as never)).to.throw(PluginOptionsError, /did you mean 'minExponent'/);
    expect(powerOfTwo().options).to.deep.equal({ minExponent: -8, maxExponent: 0 });
  });
  // #endregion options

  // #region establishes
  it('keeps every kernel on {0, ±2^e} at every step and records the invariant', async () => {
    const model = createModel();
    const session = collab(model, [powerOfTwo({ minExponent: -6 })], { checkEvery: 'step', ...quiet });
    await train(model, session); // checkEvery 'step': PowerOfTwoInvariant.check after every batch
    await session.finish();
    for (const layer of ['fc1', 'fc2']) {
      for (const v of kernel(model, layer)) expect(v === 0 || Number.isInteger(Math.log2(Math.abs(v))), `${layer}: ${v}`).to.equal(true);
      expect(session.state.get(`${layer}/kernel`, 'power-of-two')?.establishedBy).to.equal('powerOfTwo');
    }
    expect(new Set(model.getLayer('fc1').getWeights()[1].dataSync()).size).to.be.above(2); // biases untouched
  });
  // #endregion establishes

  // #region composes
  it('keeps an inherited mask with sparsityConstraint, in any listing order', async () => {
    const model = createModel();
    const pruning = collab(model, [prune({ finalSparsity: 0.5, endStep: 2, frequency: 1 })], quiet);
    await train(model, pruning);
    const { state } = await pruning.finish();
    const zeros = Array.from(kernel(model, 'fc1')).map((v) => v === 0);

    const session = collab(model, [powerOfTwo(), sparsityConstraint()], { state, checkEvery: 'step', ...quiet });
    // sparsityConstraint does not preserve power-of-two, so the composer runs it first.
    expect(session.plugins.map((p) => p.name)).to.deep.equal(['sparsityConstraint', 'powerOfTwo']);
    await train(model, session);
    await session.finish();
    kernel(model, 'fc1').forEach((v, i) => zeros[i] && expect(v).to.equal(0));
  });

  it('cannot be composed with quantize: each would break what the other establishes', () => {
    expect(() => collab(createModel(), [powerOfTwo(), quantize()], quiet))
      .to.throw(CompositionError, /plugins 'powerOfTwo', 'quantize' cannot be ordered/)
      .with.property('message')
      .that.matches(/'quantize' does not preserve 'power-of-two'/)
      .and.matches(/'powerOfTwo' does not preserve 'int8-grid'/);
  });
  // #endregion composes

  // #region state
  it('hands the invariant to the next stage through saved state', async () => {
    const model = createModel();
    const session = collab(model, [powerOfTwo()], { name: 'pow2', ...quiet });
    await train(model, session);
    await session.finish();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pow2-'));
    await session.save(dir);
    const { model: loaded, state } = await loadModel(dir);
    expect(state.get('fc1/kernel', 'power-of-two')?.data).to.deep.equal({ minExponent: -8, maxExponent: 0 });
    expect(PowerOfTwoInvariant.check(loaded.getLayer('fc1').getWeights()[0], { minExponent: -8, maxExponent: 0 })).to.equal(null);
    // A later stage that trains must keep it: the composer says how.
    expect(() => collab(loaded, [], { state, ...quiet })).to.throw(CompositionError, /has invariant 'power-of-two' from stage 'pow2'/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  // #endregion state
});

describe('weightMonitor plugin (docs example)', () => {
  // #region monitor
  it('logs zeros and distinct values of every kernel in the History', async () => {
    const model = createModel();
    const session = collab(model, [weightMonitor(), prune({ finalSparsity: 0.5, endStep: 2, frequency: 1 }), powerOfTwo()], quiet);
    const history = await train(model, session);
    await session.finish();
    for (const z of history.history['zeros/fc1'] as number[]) expect(z).to.be.at.least(0.5); // rounding may add zeros
    expect(history.history['distinct/fc1'][1]).to.be.at.most(2 * 9 + 1); // ±2^e for e in [-8, 0], and 0
  });
  // #endregion monitor
});
