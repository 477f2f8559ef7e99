import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { ProjectionEngine } from '../../../core/src/session/ProjectionEngine';
import { createSessionHooks, type ProjectPhase, type SessionHooks } from '../../../core/src/hooks/SessionHooks';
import { Stage } from '../../../core/src/hooks/Stage';
import { SessionError } from '../../../core/src/errors/SessionError';
import { modelWeights } from '../../../core/src/weights/modelWeights';
import type { Session } from '../../../core/src/session/Session';
import type { TargetWeight } from '../../../core/src/weights/TargetWeight';

/**
 * The engine in isolation: a Dense 2 → 2 model's weights, a stand-in for the session (what the
 * engine reads of it: `weight(id)` and `step`), and latents made as `Session.start` makes them.
 */
function rig() {
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 2, name: 'd' })] });
  model.setWeights([tf.tensor2d([[1, -2], [3, -4]]), tf.tensor1d([0.5, -0.5])]);
  const weights = modelWeights(model);
  const position = { step: 0 };
  const session = {
    get step() {
      return position.step;
    },
    weight(id: string): TargetWeight {
      const w = weights.get(id);
      if (!w) throw new Error(`no weight ${id}`);
      return w;
    },
  } as unknown as Session;
  const hooks: SessionHooks = createSessionHooks();
  const engine = new ProjectionEngine(session, hooks);
  const start = () => {
    for (const w of engine.projectedWeights()) w.latent = tf.variable(w.value(), false);
  };
  const release = () => {
    for (const w of weights.values()) {
      w.latent?.dispose();
      w.latent = null;
      w.lastProjected?.dispose();
      w.lastProjected = null;
    }
  };
  const kernel = weights.get('d/kernel')!;
  const bias = weights.get('d/bias')!;
  return { model, hooks, engine, start, release, kernel, bias, position };
}

// `+ 0` turns the -0 of a masked negative value into 0, so comparisons read as numbers.
const values = (t: tf.Tensor) => Array.from(t.dataSync(), (v) => v + 0);

describe('ProjectionEngine', () => {
  it('records a weight as projected when its project hook is created, and lists chains in stage order', () => {
    const { hooks, engine } = rig();
    expect([...engine.projectedIds]).to.deep.equal([]);
    const chain = hooks.project.for('d/kernel');
    expect([...engine.projectedIds]).to.deep.equal(['d/kernel']);
    chain.tap({ name: 'quantize', stage: Stage.EMULATE }, (v) => v);
    chain.tap({ name: 'prune', stage: Stage.STRUCTURE }, (v) => v);
    chain.tap({ name: 'cluster', stage: Stage.CONSTRAIN }, (v) => v);
    expect(engine.chains()).to.deep.equal(new Map([['d/kernel', ['prune', 'cluster', 'quantize']]]));
    expect(engine.projectedWeights().map((w) => w.id)).to.deep.equal(['d/kernel']);
  });

  it('projectAll writes P(L) into the model variable; the latent keeps its values; the phase and step reach the taps', () => {
    const { hooks, engine, start, release, kernel, bias, position } = rig();
    const seen: [ProjectPhase, number][] = [];
    hooks.project.for('d/kernel').tap({ name: 'clip', stage: Stage.CONSTRAIN }, (v, ctx) => {
      seen.push([ctx.phase, ctx.step]);
      expect(ctx.weight).to.equal(kernel);
      return tf.clipByValue(v, -2, 2);
    });
    start();
    position.step = 7;
    engine.projectAll('start');
    expect(values(kernel.value())).to.deep.equal([1, -2, 2, -2]);
    expect(values(kernel.latent!)).to.deep.equal([1, -2, 3, -4]);
    expect(values(kernel.lastProjected!)).to.deep.equal([1, -2, 2, -2]);
    expect(values(bias.value()), 'an unprojected weight is untouched').to.deep.equal([0.5, -0.5]);
    expect(seen).to.deep.equal([['start', 7]]);
    release();
  });

  it('a chain of taps that all keep the value writes the latent itself (a copy, not the latent variable)', () => {
    const { hooks, engine, start, release, kernel } = rig();
    // SessionHooks documents `undefined` as "keep the value"; the tap type does not admit it, hence the cast.
    hooks.project.for('d/kernel').tap({ name: 'noop', stage: Stage.EMULATE }, () => undefined);
    start();
    engine.projectAll('start');
    expect(values(kernel.value())).to.deep.equal([1, -2, 3, -4]);
    expect(kernel.lastProjected).to.not.equal(kernel.latent);
    kernel.latent!.assign(tf.zeros([2, 2]));
    expect(values(kernel.lastProjected!)).to.deep.equal([1, -2, 3, -4]);
    release();
  });

  it('setLatent replaces the latent after the chain completes: later taps still see the old one', () => {
    const { hooks, engine, start, release, kernel } = rig();
    const chain = hooks.project.for('d/kernel');
    const latentsSeen: number[][] = [];
    chain.tap({ name: 'mask', stage: Stage.STRUCTURE }, (v, ctx) => {
      const masked = tf.mul(v, tf.tensor2d([[1, 0], [1, 0]]));
      ctx.setLatent(masked);
      return masked;
    });
    chain.tap({ name: 'look', stage: Stage.EMULATE }, (v, ctx) => {
      latentsSeen.push(values(ctx.latent));
      return v;
    });
    start();
    engine.projectAll('start');
    expect(latentsSeen).to.deep.equal([[1, -2, 3, -4]]);
    expect(values(kernel.latent!)).to.deep.equal([1, 0, 3, 0]);
    expect(values(kernel.value())).to.deep.equal([1, 0, 3, 0]);
    release();
  });

  it('projectDirty projects only the weights marked since the last projection, once; projectAll clears the marks', () => {
    const { hooks, engine, start, release } = rig();
    const calls: string[] = [];
    for (const id of ['d/kernel', 'd/bias']) hooks.project.for(id).tap({ name: 't', stage: Stage.EMULATE }, (v, ctx) => {
        calls.push(`${id} ${ctx.phase}`);
        return v;
      });
    start();
    engine.markDirty('d/bias');
    engine.markDirty('d/bias');
    engine.projectDirty('batchEnd');
    expect(calls).to.deep.equal(['d/bias batchEnd']);
    engine.projectDirty('epochEnd');
    expect(calls, 'the mark is cleared').to.have.length(1);
    engine.markDirty('d/kernel');
    engine.projectAll('update');
    engine.projectDirty('batchEnd');
    expect(calls.slice(1)).to.deep.equal(['d/kernel update', 'd/bias update']);
    release();
  });

  it('absorbStep: the latent takes the optimizer step (L += W′ − W), update taps read weight.delta, then every weight is re-projected', () => {
    const { hooks, engine, start, release, kernel } = rig();
    hooks.project.for('d/kernel').tap({ name: 'clip', stage: Stage.CONSTRAIN }, (v) => tf.clipByValue(v, -2, 2));
    start();
    engine.projectAll('start'); // W = [1, -2, 2, -2], L = [1, -2, 3, -4]
    // The optimizer moves W by +0.5 everywhere.
    (kernel.value() as tf.Variable).assign(tf.add(kernel.value(), 0.5));
    const deltas: number[][] = [];
    hooks.update.tap('probe', ({ step }) => {
      expect(step).to.equal(3);
      deltas.push(values(kernel.delta!));
    });
    engine.absorbStep(3);
    expect(deltas).to.deep.equal([[0.5, 0.5, 0.5, 0.5]]);
    expect(kernel.delta, 'delta is released after update').to.equal(null);
    expect(values(kernel.latent!)).to.deep.equal([1.5, -1.5, 3.5, -3.5]);
    expect(values(kernel.value())).to.deep.equal([1.5, -1.5, 2, -2]);
    release();
  });

  it('absorbStep releases delta even when an update tap throws', () => {
    const { hooks, engine, start, release, kernel } = rig();
    hooks.project.for('d/kernel').tap({ name: 'id', stage: Stage.EMULATE }, (v) => v);
    start();
    engine.projectAll('start');
    hooks.update.tap('boom', () => {
      throw new Error('boom');
    });
    expect(() => engine.absorbStep(1)).to.throw('boom');
    expect(kernel.delta).to.equal(null);
    release();
  });

  it('does nothing for weights without latents (the session has not started)', () => {
    const { hooks, engine, kernel } = rig();
    hooks.project.for('d/kernel').tap({ name: 'zero', stage: Stage.EMULATE }, (v) => tf.zerosLike(v));
    engine.projectAll('start');
    engine.absorbStep(1);
    expect(values(kernel.value())).to.deep.equal([1, -2, 3, -4]);
  });

  it('a projection of the wrong shape is a SessionError naming the weight, the taps and both shapes; the weight is unchanged', () => {
    const { hooks, engine, start, release, kernel } = rig();
    hooks.project.for('d/kernel').tap({ name: 'bad', stage: Stage.EMULATE }, (v) => tf.reshape(v, [4]));
    start();
    expect(() => engine.projectAll('start')).to.throw(SessionError, "projection of 'd/kernel' by [bad] returned shape [4], expected [2,2]");
    expect(values(kernel.value())).to.deep.equal([1, -2, 3, -4]);
    release();
  });

  it("setLatent copies: a tensor the plugin keeps outside the projection stays the plugin's", () => {
    const { hooks, engine, start, release } = rig();
    const kept = tf.tensor2d([[5, 0], [0, 5]]);
    hooks.project.for('d/kernel').tap({ name: 'keep', stage: Stage.STRUCTURE }, (v, ctx) => {
      ctx.setLatent(kept);
      return v;
    });
    start();
    engine.projectAll('start');
    engine.projectAll('batchEnd');
    expect(kept.isDisposed, 'the kept tensor after two projections').to.equal(false);
    expect(values(kept)).to.deep.equal([5, 0, 0, 5]);
    release();
    kept.dispose();
  });

  it('keeps the tensor count flat across projections and steps', () => {
    const { hooks, engine, start, release, kernel } = rig();
    hooks.project.for('d/kernel').tap({ name: 'mask', stage: Stage.STRUCTURE }, (v, ctx) => {
      const m = tf.mul(v, tf.tensor2d([[1, 0], [0, 1]]));
      ctx.setLatent(m);
      return m;
    });
    start();
    engine.projectAll('start');
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      tf.tidy(() => (kernel.value() as tf.Variable).assign(tf.add(kernel.value(), 0.1)));
      engine.absorbStep(i + 1);
      engine.markDirty('d/kernel');
      engine.projectDirty('batchEnd');
    }
    expect(tf.memory().numTensors).to.equal(before);
    release();
  });
});
