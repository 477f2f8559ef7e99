import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { SparsityInvariant, StateError } from '@collabopt/core';
import { exportedKernel } from '../../helpers/exportedKernel';

describe('SparsityInvariant', () => {
  it('accepts zeros where the mask is 0 (and anywhere else), and counts non-zero pruned positions', () => {
    const mask = tf.tensor2d([1, 0, 0, 1], [2, 2]);
    const ok = tf.tensor2d([3, 0, 0, 0], [2, 2]);
    const bad = tf.tensor2d([3, 0.5, -1, 2], [2, 2]);
    expect(SparsityInvariant.check(ok, { mask })).to.equal(null);
    expect(SparsityInvariant.check(bad, { mask })).to.equal('2 of 2 pruned positions are non-zero');
    tf.dispose([mask, ok, bad]);
  });

  it('derives the mask from the zeros of a weight, and nothing from a weight without zeros', () => {
    const w = tf.tensor2d([0, 2, -3, 0], [2, 2]);
    const derived = SparsityInvariant.derive!(w, null)!;
    expect(Array.from(derived.mask.dataSync())).to.deep.equal([0, 1, 1, 0]);
    expect(derived.mask.shape).to.deep.equal([2, 2]);
    SparsityInvariant.dispose!(derived);
    expect(derived.mask.isDisposed).to.equal(true);
    const dense = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    expect(SparsityInvariant.derive!(dense, null)).to.equal(null);
    tf.dispose([w, dense]);
  });

  it('checks an exported kernel position by position, naming the first pruned one that holds a value', () => {
    const mask = tf.tensor2d([1, 0, 1, 0], [2, 2]);
    const kernel = (values: number[]) => exportedKernel(values, { dtype: 'int8', position: (k) => ` at [${Math.floor(k / 2)}, ${k % 2}]` });
    // More zeros than the mask is fine (int8 rounds tiny weights to 0).
    expect(SparsityInvariant.checkExported!(kernel([0, 0, 4, 0]), { mask })).to.deep.equal({ violation: null });
    expect(SparsityInvariant.checkExported!(kernel([1, 0, 4, 0.25]), { mask })).to.deep.equal({ violation: 'the pruned position at [1, 1] holds 0.25' });
    mask.dispose();
  });

  it('round-trips the mask through encode/decode and refuses a missing or corrupt one', () => {
    const mask = tf.tensor2d([1, 0, 0, 1, 1, 0], [2, 3]);
    const back = SparsityInvariant.decode(SparsityInvariant.encode({ mask }), [2, 3]);
    expect(back.mask.shape).to.deep.equal([2, 3]);
    expect(Array.from(back.mask.dataSync())).to.deep.equal([1, 0, 0, 1, 1, 0]);
    expect(() => SparsityInvariant.decode({}, [2, 3])).to.throw(StateError, "sparsity: saved mask is missing its 'bits' string");
    expect(() => SparsityInvariant.decode({ bits: '' }, [2, 3])).to.throw(StateError, /^sparsity: saved mask is corrupt: /);
    tf.dispose([mask, back.mask]);
  });
});
