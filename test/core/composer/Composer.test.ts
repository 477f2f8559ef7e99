import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import {
  collab,
  CompositionError,
  InvariantViolationError,
  OptimizationState,
  PluginOptionsError,
  SparsityInvariant,
  Stage,
} from '@collabopt/core';
import { testClip, testLiar, testMask, testNeeds, testNoise, testRound } from '../../helpers/testPlugins';
import { mlpData, smallMlp } from '../../helpers/models';

const quiet = { onWarning: () => {} };

/** A finished stage's state with `sparsity` on both kernels (every 3rd weight pruned). */
async function prunedState(model: tf.LayersModel): Promise<OptimizationState> {
  const s = collab(model, [testMask()], { name: 'prune', ...quiet });
  const { state } = await s.finish();
  return state;
}

describe('Composer: ordering and composition checks', () => {
  it('rejects a plugin that runs after an establisher without preserving its invariant', () => {
    // test-noise taps Stage.EMULATE, after the mask's Stage.STRUCTURE: the chain would break sparsity.
    expect(() => collab(smallMlp(), [testMask(), testNoise()], quiet))
      .to.throw(CompositionError)
      .with.property('message')
      .that.matches(/plugin 'test-noise' does not preserve invariant 'sparsity' on weight 'd1\/kernel', which plugin 'test-mask' established/)
      .and.matches(/release/);
  });

  it('accepts the same non-preserving plugin when its projection runs before the establisher', async () => {
    const model = smallMlp();
    const session = collab(model, [testMask(), testNoise({ band: Stage.SCHEDULE })], { checkEvery: 'step', ...quiet });
    expect(session.plugins.map((p) => p.name)).to.deep.equal(['test-noise', 'test-mask']);
    await session.finish();
    const k = model.getWeights()[0].dataSync();
    expect(k[0]).to.equal(0);
  });

  it('requires an inherited invariant to be kept on trainable weights, naming the stage and the way out', async () => {
    const model = smallMlp();
    const state = await prunedState(model);
    expect(() => collab(model, [testRound()], { state, ...quiet }))
      .to.throw(CompositionError)
      .with.property('message')
      .that.matches(/weight 'd1\/kernel' has invariant 'sparsity' from stage 'prune'/)
      .and.matches(/sparsityConstraint\(\)/)
      .and.matches(/release: \['sparsity'\]/);
    // Re-establishing it (the mask again) resolves it; so does releasing it.
    collab(model, [testRound(), testMask()], { state, ...quiet }).dispose();
    collab(model, [testRound()], { state, release: ['sparsity'], ...quiet }).dispose();
    // A frozen layer cannot drift, so inheriting is enough.
    model.layers.forEach((l) => (l.trainable = false));
    collab(model, [testRound()], { state, ...quiet }).dispose();
    state.dispose();
  });

  it('rejects unmet requirements, duplicate plugins and unknown invariants', () => {
    expect(() => collab(smallMlp(), [testNeeds()], quiet)).to.throw(CompositionError, /requires invariant 'int8-grid'.*quantize\(\)/);
    expect(() => collab(smallMlp(), [testMask(), testMask({ every: 2 })], quiet)).to.throw(CompositionError, /listed twice/);
    expect(() => collab(smallMlp(), [testNeeds({ invariant: 'sparsty' })], quiet)).to.throw(CompositionError, /unknown invariant 'sparsty'/);
  });

  it('rejects contradictory declarations (each breaks what the other establishes)', () => {
    // round (establishes test-grid, preserves sparsity) configured against a mask that does not preserve test-grid:
    const maskNoGrid = { ...testMask(), name: 'test-mask', invariants: { establishes: ['sparsity'], preserves: [], requires: [] } };
    const roundNoSparsity = { ...testRound(), name: 'test-round', invariants: { establishes: ['test-grid'], preserves: [], requires: [] } };
    expect(() => collab(smallMlp(), [maskNoGrid, roundNoSparsity], quiet)).to.throw(CompositionError, /cannot be ordered/);
  });

  it('catches a run-time violation at the next check, naming weight, invariant and step', async () => {
    const model = smallMlp();
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const { xs, ys } = mlpData(16);
    const session = collab(model, [testMask(), testLiar({ fromStep: 3 })], { checkEvery: 'step', ...quiet });
    let error: unknown;
    try {
      await model.fit(xs, ys, { epochs: 2, batchSize: 4, verbose: 0, callbacks: [session.callback()] });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(InvariantViolationError);
    const v = error as InvariantViolationError;
    expect(v.weight).to.equal('d1/kernel');
    expect(v.invariant).to.equal('sparsity');
    expect(v.step).to.equal(3);
    expect(v.message).to.match(/pruned positions are non-zero/);
    session.dispose();
  });

  it('checks once per epoch by default', async () => {
    const model = smallMlp();
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const { xs, ys } = mlpData(16);
    const session = collab(model, [testMask(), testLiar({ fromStep: 2 })], quiet);
    const err = await model.fit(xs, ys, { epochs: 2, batchSize: 4, verbose: 0, callbacks: [session.callback()] }).catch((e) => e);
    expect(err).to.be.instanceOf(InvariantViolationError);
    expect((err as InvariantViolationError).step).to.equal(4);
    expect((err as Error).message).to.match(/end of epoch 1/);
    session.dispose();
  });

  it('validates plugin options with JSON pointers, expectations and received values', () => {
    expect(() => testRound({ step: -1 })).to.throw(PluginOptionsError, /test-round: invalid options\n {2}\/step: expected > 0, received -1/);
    expect(() => testMask({ evry: 2 } as never)).to.throw(PluginOptionsError, /\/evry: expected no option 'evry' \(did you mean 'every'\?\)/);
    expect(() => testMask({ every: 'x' } as never)).to.throw(PluginOptionsError, /\/every: expected a value of type integer, received "x"/);
    const p = testClip();
    expect(p.options).to.deep.equal({ limit: 0.5 });
    expect(Object.isFrozen(p.options)).to.equal(true);
  });

  it('verifies the inherited data, not just names: a stage inherits the previous mask', async () => {
    const model = smallMlp();
    const state = await prunedState(model);
    const session = collab(model, [testMask()], { state, ...quiet });
    expect(session.state.get('d1/kernel', 'sparsity')?.establishedBy).to.equal('test-mask');
    expect(state.get('d1/kernel', 'sparsity')?.establishedBy).to.equal('test-mask');
    const inherited = collab(model, [testMask()], { state, release: [], ...quiet });
    expect(inherited.state.stages).to.deep.equal(['prune']);
    inherited.dispose();
    session.dispose();
    state.dispose();
    expect(SparsityInvariant.name).to.equal('sparsity');
  });
});
