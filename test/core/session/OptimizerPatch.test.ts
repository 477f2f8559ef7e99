import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { OptimizerPatch } from '../../../core/src/session/OptimizerPatch';

const grads = (v: tf.Variable) => ({ [v.name]: tf.onesLike(v) });

describe('OptimizerPatch', () => {
  it('runs afterStep synchronously right after every applyGradients, once the weights moved', () => {
    const v = tf.variable(tf.tensor1d([1, 2]), true, 'optimizer-patch-a');
    const sgd = tf.train.sgd(0.5);
    const seen: number[][] = [];
    const patch = new OptimizerPatch(() => seen.push(Array.from(v.dataSync())));
    patch.attach(sgd);
    const g = grads(v);
    sgd.applyGradients(g);
    sgd.applyGradients(g);
    expect(seen).to.deep.equal([[0.5, 1.5], [0, 1]]);
    patch.detach();
    sgd.applyGradients(g);
    expect(seen, 'detached: no more calls').to.have.length(2);
    tf.dispose([v, ...Object.values(g)]);
    sgd.dispose();
  });

  it('detach restores a prototype method by removing the own property, leaving no trace', () => {
    const sgd = tf.train.sgd(0.1);
    expect(Object.prototype.hasOwnProperty.call(sgd, 'applyGradients')).to.equal(false);
    const patch = new OptimizerPatch(() => {});
    patch.attach(sgd);
    expect(Object.prototype.hasOwnProperty.call(sgd, 'applyGradients')).to.equal(true);
    patch.detach();
    expect(Object.prototype.hasOwnProperty.call(sgd, 'applyGradients')).to.equal(false);
    expect(sgd.applyGradients).to.equal(Object.getPrototypeOf(sgd).applyGradients);
    sgd.dispose();
  });

  it('detach restores an own applyGradients (another wrapper) exactly, which keeps working', () => {
    const v = tf.variable(tf.scalar(0), true, 'optimizer-patch-b');
    const sgd = tf.train.sgd(1);
    const calls: string[] = [];
    const proto = Object.getPrototypeOf(sgd).applyGradients as (g: unknown) => void;
    const theirs = function (this: unknown, g: unknown) {
      calls.push('theirs');
      proto.call(this, g);
    };
    (sgd as unknown as { applyGradients: unknown }).applyGradients = theirs;
    const patch = new OptimizerPatch(() => calls.push('after'));
    patch.attach(sgd);
    const g = grads(v);
    sgd.applyGradients(g);
    expect(calls).to.deep.equal(['theirs', 'after']);
    patch.detach();
    expect(sgd.applyGradients).to.equal(theirs);
    tf.dispose([v, ...Object.values(g)]);
    sgd.dispose();
  });

  it('attaching the patched optimizer again is a no-op; attaching another moves the patch; undefined is ignored', () => {
    const a = tf.train.sgd(0.1);
    const b = tf.train.sgd(0.1);
    let n = 0;
    const patch = new OptimizerPatch(() => n++);
    patch.attach(a);
    patch.attach(a);
    const v = tf.variable(tf.scalar(1), true, 'optimizer-patch-c');
    const g = grads(v);
    a.applyGradients(g);
    expect(n, 'one patch, not two stacked').to.equal(1);
    patch.attach(undefined);
    a.applyGradients(g);
    expect(n, 'undefined leaves the patch in place').to.equal(2);
    patch.attach(b);
    expect(Object.prototype.hasOwnProperty.call(a, 'applyGradients'), 'the first is restored').to.equal(false);
    b.applyGradients(g);
    a.applyGradients(g);
    expect(n).to.equal(3);
    patch.detach();
    patch.detach();
    tf.dispose([v, ...Object.values(g)]);
    a.dispose();
    b.dispose();
  });
});
