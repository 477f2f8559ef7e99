import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { OptimizationState, preActivationRangeKey } from '../../../core/src/state/OptimizationState';
import { StateError } from '../../../core/src/errors/StateError';
import { registerInvariant } from '../../../core/src/invariants/InvariantRegistry';
import { SparsityInvariant } from '../../../core/src/invariants/SparsityInvariant';
import type { Invariant } from '../../../core/src/invariants/Invariant';

/** An invariant whose data is a plain object, counting how often its data was disposed. */
const disposed: number[] = [];
const CountedInvariant: Invariant<{ id: number }> = registerInvariant<{ id: number }>({
  name: 'test-state-counted',
  description: 'test-only: records disposals',
  check: () => null,
  encode: (d) => ({ id: d.id }),
  decode: (json) => {
    const id = (json as { id?: unknown }).id;
    if (typeof id !== 'number') throw new Error(`saved id must be a number, got ${JSON.stringify(id)}`);
    return { id };
  },
  dispose: (d) => void disposed.push(d.id),
});

const mask = (values: number[]) => ({ mask: tf.tensor(values, [values.length]) });
const shapes = new Map<string, readonly number[]>([['d/kernel', [4]], ['e/kernel', [4]]]);

describe('OptimizationState', () => {
  beforeEach(() => {
    disposed.length = 0;
  });

  it('establish / get / has / recordsOf / weightIds / activeInvariants see the same records; an invariant may be given by name', () => {
    const s = new OptimizationState();
    s.establish('d/kernel', CountedInvariant, { id: 1 }, 'p');
    s.establish('e/kernel', 'sparsity', mask([1, 0, 1, 0]), 'prune');
    expect(s.has('d/kernel', 'test-state-counted')).to.equal(true);
    expect(s.has('d/kernel', 'sparsity')).to.equal(false);
    expect(s.get('e/kernel', 'sparsity')!.invariant).to.equal(SparsityInvariant);
    expect(s.get('e/kernel', 'sparsity')!.establishedBy).to.equal('prune');
    expect(s.get('nope', 'sparsity')).to.equal(undefined);
    expect(s.weightIds()).to.deep.equal(['d/kernel', 'e/kernel']);
    expect(s.recordsOf('d/kernel').map((r) => r.invariant.name)).to.deep.equal(['test-state-counted']);
    expect(s.recordsOf('nope')).to.deep.equal([]);
    expect(s.activeInvariants()).to.deep.equal(['sparsity', 'test-state-counted']);
    expect([...s.entries()].map(([id, r]) => `${id}:${r.invariant.name}`)).to.deep.equal(['d/kernel:test-state-counted', 'e/kernel:sparsity']);
    s.dispose();
  });

  it('establishing again replaces the record and disposes the old data (not when the same data is re-established)', () => {
    const s = new OptimizationState();
    const first = { id: 1 };
    s.establish('d/kernel', CountedInvariant, first, 'a');
    s.establish('d/kernel', CountedInvariant, first, 'a');
    expect(disposed).to.deep.equal([]);
    s.establish('d/kernel', CountedInvariant, { id: 2 }, 'b');
    expect(disposed).to.deep.equal([1]);
    expect(s.get<{ id: number }>('d/kernel', 'test-state-counted')!.data.id).to.equal(2);
    expect(s.get('d/kernel', 'test-state-counted')!.establishedBy).to.equal('b');
    s.dispose();
    expect(disposed).to.deep.equal([1, 2]);
  });

  it('an unknown invariant name is an error naming it and the known ones', () => {
    const s = new OptimizationState();
    expect(() => s.establish('d/kernel', 'no-such-invariant', {}, 'p')).to.throw(/unknown invariant 'no-such-invariant'; known invariants: .*sparsity/);
  });

  it('release drops one invariant on one weight or on all, disposing its data and counting what it dropped', () => {
    const s = new OptimizationState();
    s.establish('d/kernel', CountedInvariant, { id: 1 }, 'p');
    s.establish('e/kernel', CountedInvariant, { id: 2 }, 'p');
    s.establish('e/kernel', 'sparsity', mask([1, 1, 1, 0]), 'p');
    expect(s.release('test-state-counted', 'e/kernel')).to.equal(1);
    expect(disposed).to.deep.equal([2]);
    expect(s.has('d/kernel', 'test-state-counted')).to.equal(true);
    expect(s.release('test-state-counted')).to.equal(1);
    expect(s.release('test-state-counted')).to.equal(0);
    // A weight left with no invariant is no longer listed.
    expect(s.weightIds()).to.deep.equal(['e/kernel']);
    expect(s.release('sparsity')).to.equal(1);
    expect(s.weightIds()).to.deep.equal([]);
    s.dispose();
  });

  it('clone is independent: disposing or changing one leaves the other intact (tensors cloned, ranges copied)', () => {
    const s = new OptimizationState();
    s.stages.push('prune');
    s.establish('e/kernel', 'sparsity', mask([1, 0, 1, 0]), 'prune');
    s.activationRanges.set('d', { min: -1, max: 2 });
    const c = s.clone();
    expect(c.stages).to.deep.equal(['prune']);
    expect(c.get('e/kernel', 'sparsity')!.establishedBy).to.equal('prune');
    s.activationRanges.set('d', { min: -5, max: 5 });
    s.stages.push('later');
    s.dispose();
    expect(c.activationRanges.get('d')).to.deep.equal({ min: -1, max: 2 });
    expect(c.stages).to.deep.equal(['prune']);
    const m = c.get<{ mask: tf.Tensor }>('e/kernel', 'sparsity')!.data.mask;
    expect(m.isDisposed).to.equal(false);
    expect(Array.from(m.dataSync())).to.deep.equal([1, 0, 1, 0]);
    c.dispose();
  });

  it("clone(asStage): plugin records become `stage '<asStage>'`, inherited ones keep their stage, and the stage is appended once", () => {
    const s = new OptimizationState();
    s.stages.push('prune');
    s.establish('d/kernel', CountedInvariant, { id: 1 }, "stage 'base'");
    s.establish('e/kernel', CountedInvariant, { id: 2 }, 'prune');
    const c = s.clone('prune');
    expect(c.stages).to.deep.equal(['prune']);
    expect(c.get('d/kernel', 'test-state-counted')!.establishedBy).to.equal("stage 'base'");
    expect(c.get('e/kernel', 'test-state-counted')!.establishedBy).to.equal("stage 'prune'");
    expect(s.clone('next').stages).to.deep.equal(['prune', 'next']);
    // Plain-object data is deep-copied, not shared.
    expect(c.get('e/kernel', 'test-state-counted')!.data).to.not.equal(s.get('e/kernel', 'test-state-counted')!.data);
  });

  it('toJSON / fromJSON round-trip stages, records (through encode/decode) and activation ranges with and without bits', () => {
    const s = new OptimizationState();
    s.stages.push('a', 'b');
    s.establish('e/kernel', 'sparsity', mask([0, 1, 1, 0]), 'prune');
    s.establish('d/kernel', CountedInvariant, { id: 7 }, "stage 'a'");
    s.activationRanges.set('d', { min: -1, max: 3, bits: 4 });
    s.activationRanges.set(preActivationRangeKey('d'), { min: -2, max: 2 });
    const json = JSON.parse(JSON.stringify(s.toJSON()));
    expect(json.format).to.equal('collabopt-state');
    expect(json.version).to.equal(1);
    expect(json.activationRanges).to.deep.equal({ d: { min: -1, max: 3, bits: 4 }, 'd:preactivation': { min: -2, max: 2 } });
    const back = OptimizationState.fromJSON(json, shapes);
    expect(back.stages).to.deep.equal(['a', 'b']);
    expect(Array.from(back.get<{ mask: tf.Tensor }>('e/kernel', 'sparsity')!.data.mask.dataSync())).to.deep.equal([0, 1, 1, 0]);
    expect(back.get('e/kernel', 'sparsity')!.establishedBy).to.equal('prune');
    expect(back.get('d/kernel', 'test-state-counted')!.data).to.deep.equal({ id: 7 });
    expect(back.activationRanges.get('d')).to.deep.equal({ min: -1, max: 3, bits: 4 });
    expect(back.toJSON()).to.deep.equal(json);
    s.dispose();
    back.dispose();
  });

  it('preActivationRangeKey names the value before a fused activation', () => {
    expect(preActivationRangeKey('logits')).to.equal('logits:preactivation');
  });

  describe('fromJSON rejects what it cannot trust, saying what and where', () => {
    const base = { format: 'collabopt-state', version: 1, stages: [], invariants: {} };
    const bad: [string, unknown, RegExp][] = [
      ['null', null, /not a collabopt optimization state/],
      ['another format', { ...base, format: 'other' }, /not a collabopt optimization state/],
      ['another version', { ...base, version: 2 }, /not a collabopt optimization state/],
      ['stages not a list', { ...base, stages: 'a' }, /not a collabopt optimization state/],
      ['min > max', { ...base, activationRanges: { d: { min: 2, max: 1 } } }, /activation range of 'd' must be \{min, max\} with min <= max, got \{"min":2,"max":1\}/],
      ['a range without max', { ...base, activationRanges: { d: { min: 0 } } }, /activation range of 'd' must be/],
      ['bits 1', { ...base, activationRanges: { d: { min: 0, max: 1, bits: 1 } } }, /activation range of 'd' has an invalid bit width 1/],
      ['bits 8.5', { ...base, activationRanges: { d: { min: 0, max: 1, bits: 8.5 } } }, /invalid bit width 8.5/],
      ['a weight the model lacks', { ...base, invariants: { 'x/kernel': { sparsity: { establishedBy: 'p', data: {} } } } }, /state has invariants for weight 'x\/kernel', which the model does not have/],
      ['corrupt data', { ...base, invariants: { 'd/kernel': { 'test-state-counted': { establishedBy: 'p', data: { id: 'x' } } } } }, /weight 'd\/kernel': saved id must be a number, got "x"/],
      ['an unregistered invariant', { ...base, invariants: { 'd/kernel': { 'no-such': { establishedBy: 'p', data: {} } } } }, /unknown invariant 'no-such'/],
    ];
    for (const [what, json, message] of bad) {
      it(what, () => {
        expect(() => OptimizationState.fromJSON(json, shapes)).to.throw(message);
      });
    }

    it('is a StateError, and disposes the records it had already decoded', () => {
      const m = mask([1, 0, 1, 0]);
      const encoded = SparsityInvariant.encode(m);
      m.mask.dispose();
      // 'e/kernel' decodes (a mask tensor is made), then 'x/kernel' fails: the mask must not leak.
      const json = {
        ...base,
        invariants: {
          'e/kernel': { sparsity: { establishedBy: 'p', data: encoded } },
          'x/kernel': { sparsity: { establishedBy: 'p', data: encoded } },
        },
      };
      const before = tf.memory().numTensors;
      let error: unknown;
      try {
        OptimizationState.fromJSON(json, shapes);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(StateError);
      expect(tf.memory().numTensors).to.equal(before);
    });
  });
});
