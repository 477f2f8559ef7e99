import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { continuedState, inheritState } from '../../../core/src/session/inheritState';
import { OptimizationState } from '../../../core/src/state/OptimizationState';
import { StateError } from '../../../core/src/errors/StateError';
import { SessionError } from '../../../core/src/errors/SessionError';
import { modelWeights } from '../../../core/src/weights/modelWeights';
import '../../../core/src/invariants/index';

/** Dense 2 → 3 whose kernel has two zeros; the bias has a zero too (biases are never derived). */
function weights() {
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 3, name: 'd' })] });
  model.setWeights([tf.tensor2d([0, 1, 2, 3, 0, 5], [2, 3]), tf.tensor1d([0, 1, 2])]);
  return modelWeights(model);
}

const mask = (values: number[]) => ({ mask: tf.tensor2d(values, [2, 3]) });

function prunedState(): OptimizationState {
  const s = new OptimizationState();
  s.stages.push('prune');
  s.establish('d/kernel', 'sparsity', mask([0, 1, 1, 1, 0, 1]), 'prune');
  return s;
}

describe('inheritState', () => {
  it('without a state: a new empty one', () => {
    const s = inheritState({}, weights());
    expect(s.weightIds()).to.deep.equal([]);
    expect(s.stages).to.deep.equal([]);
  });

  it('copies the inherited state (disposing one leaves the other) and records it as inherited from the last stage', () => {
    const given = prunedState();
    const s = inheritState({ state: given }, weights());
    expect(s).to.not.equal(given);
    expect(s.get('d/kernel', 'sparsity')!.establishedBy).to.equal("stage 'prune'");
    given.dispose();
    expect(Array.from(s.get<{ mask: tf.Tensor }>('d/kernel', 'sparsity')!.data.mask.dataSync())).to.deep.equal([0, 1, 1, 1, 0, 1]);
    s.dispose();
  });

  it("a state without stages is inherited as from stage 'previous'", () => {
    const given = new OptimizationState();
    given.establish('d/kernel', 'sparsity', mask([1, 1, 1, 1, 1, 0]), 'prune');
    const s = inheritState({ state: given }, weights());
    expect(s.get('d/kernel', 'sparsity')!.establishedBy).to.equal("stage 'previous'");
    given.dispose();
    s.dispose();
  });

  it('a state naming a weight the model does not have is a StateError naming it', () => {
    const given = prunedState();
    given.establish('other/kernel', 'sparsity', mask([1, 1, 1, 1, 1, 1]), 'prune');
    expect(() => inheritState({ state: given }, weights())).to.throw(StateError, "inherited state has invariants for weight 'other/kernel', which this model does not have");
    given.dispose();
  });

  it('release drops the named invariants; an unknown name is an error', () => {
    const given = prunedState();
    const s = inheritState({ state: given, release: ['sparsity'] }, weights());
    expect(s.has('d/kernel', 'sparsity')).to.equal(false);
    expect(given.has('d/kernel', 'sparsity'), 'the given state is untouched').to.equal(true);
    expect(() => inheritState({ state: given, release: ['sparsty'] }, weights())).to.throw(/unknown invariant 'sparsty'/);
    given.dispose();
    s.dispose();
  });

  it('derive establishes an invariant from the weights on kernels only, where the state lacks it', () => {
    const s = inheritState({ derive: ['sparsity'] }, weights());
    expect(s.weightIds()).to.deep.equal(['d/kernel']);
    const rec = s.get<{ mask: tf.Tensor }>('d/kernel', 'sparsity')!;
    expect(rec.establishedBy).to.equal("stage 'derived from weights'");
    expect(Array.from(rec.data.mask.dataSync())).to.deep.equal([0, 1, 1, 1, 0, 1]);
    s.dispose();

    // An inherited record wins over deriving.
    const given = new OptimizationState();
    given.stages.push('prune');
    given.establish('d/kernel', 'sparsity', mask([0, 0, 0, 1, 1, 1]), 'prune');
    const kept = inheritState({ state: given, derive: ['sparsity'] }, weights());
    expect(Array.from(kept.get<{ mask: tf.Tensor }>('d/kernel', 'sparsity')!.data.mask.dataSync())).to.deep.equal([0, 0, 0, 1, 1, 1]);
    given.dispose();
    kept.dispose();
  });

  it('derive of an invariant that cannot be derived is a SessionError naming it', () => {
    expect(() => inheritState({ derive: ['int8-grid'] }, weights())).to.throw(SessionError, "invariant 'int8-grid' cannot be derived from weights");
  });

  it('a resumed session keeps the state it was given, as given', () => {
    const given = prunedState();
    expect(inheritState({ state: given, resume: {} }, weights())).to.equal(given);
    const fresh = inheritState({ resume: {} }, weights());
    expect(fresh.weightIds()).to.deep.equal([]);
    given.dispose();
  });
});

describe('continuedState', () => {
  it('keeps every record with its original establisher and the stages (the same stage continuing)', () => {
    const saved = prunedState();
    const s = continuedState(saved);
    expect(s).to.not.equal(saved);
    expect(s.stages).to.deep.equal(['prune']);
    expect(s.get('d/kernel', 'sparsity')!.establishedBy).to.equal('prune');
    s.dispose();
  });
});
