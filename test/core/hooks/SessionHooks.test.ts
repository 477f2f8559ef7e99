import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { AsyncSeriesHook, HookMap, SyncBailHook, SyncHook, SyncWaterfallHook } from 'tapable';
import { createSessionHooks } from '../../../core/src/hooks/SessionHooks';
import { Stage } from '../../../core/src/hooks/Stage';
import { collab } from '../../../core/src/session/collab';
import { definePlugin } from '../../../core/src/plugin/definePlugin';
import type { PluginContext } from '../../../core/src/plugin/PluginContext';

const quiet = { onWarning: () => {} };

/** Dense 2 → 1 with a fused relu (so preActivation applies), SGD. */
function tinyModel(): tf.LayersModel {
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [2], units: 1, name: 'lin', activation: 'relu', kernelInitializer: 'ones' })],
  });
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
  return model;
}

/**
 * A plugin that taps every hook and records, in firing order, the hook and what its context says.
 * `markDirtyAt` lets a tap of one hook mark `lin/kernel` dirty at Stage.SCHEDULE, to see the
 * session re-project at Stage.PROJECT of the same hook.
 */
function recorder(events: string[], options: { markDirtyAt?: 'batchBegin' | 'batchEnd' | 'epochEnd' | 'finish' } = {}) {
  return definePlugin({
    name: 'recorder',
    optionsSchema: { type: 'object', additionalProperties: false },
    invariants: { establishes: [], preserves: [], requires: [] },
    create: () => ({
      apply(ctx: PluginContext) {
        const tap = { name: 'recorder', stage: Stage.REPORT };
        const early = { name: 'recorder', stage: Stage.SCHEDULE };
        ctx.hooks.trainBegin.tap(tap, () => void events.push('trainBegin'));
        ctx.hooks.epochBegin.tap(tap, ({ epoch }) => void events.push(`epochBegin ${epoch}`));
        ctx.hooks.batchBegin.tap(tap, ({ step, batch, epoch }) => void events.push(`batchBegin step ${step} batch ${batch} epoch ${epoch}`));
        ctx.hooks.update.tap(tap, ({ step }) => void events.push(`update step ${step}`));
        ctx.hooks.project.for('lin/kernel').tap({ name: 'recorder', stage: Stage.EMULATE }, (value, { phase, step }) => {
          events.push(`project ${phase} step ${step}`);
          return value;
        });
        ctx.hooks.layerInput.for('lin').tap(tap, (inputs, { training, calibrating }) => {
          events.push(`layerInput training=${training} calibrating=${calibrating}`);
          return inputs;
        });
        ctx.hooks.layerCall.for('lin').tap(tap, () => {
          events.push('layerCall');
          return undefined;
        });
        ctx.hooks.preActivation.for('lin').tap(tap, (value) => {
          events.push('preActivation');
          return value;
        });
        ctx.hooks.layerOutput.for('lin').tap(tap, (output) => {
          events.push('layerOutput');
          return output;
        });
        ctx.hooks.batchEnd.tap(tap, ({ step, batch }) => void events.push(`batchEnd step ${step} batch ${batch}`));
        ctx.hooks.epochEnd.tap(tap, ({ epoch }) => void events.push(`epochEnd ${epoch}`));
        ctx.hooks.trainEnd.tap(tap, () => void events.push('trainEnd'));
        ctx.hooks.finish.tap(tap, () => void events.push('finish'));
        ctx.hooks.export.tap(tap, () => void events.push('export'));
        const at = options.markDirtyAt;
        if (at) {
          ctx.hooks[at].tap(early, () => {
            events.push(`markDirty at ${at}`);
            ctx.markDirty('lin/kernel');
          });
        }
      },
    }),
  });
}

const FORWARD_TRAINING = ['layerInput training=true calibrating=false', 'layerCall', 'preActivation', 'layerOutput'];
const FORWARD_INFERENCE = ['layerInput training=false calibrating=false', 'layerCall', 'preActivation', 'layerOutput'];

describe('SessionHooks', () => {
  describe('createSessionHooks', () => {
    it('makes a frozen object with one tapable hook of the documented kind per hook name', () => {
      // tapable's hook functions return a Hook whose constructor is set to them (instanceof does not work).
      const hooks = createSessionHooks();
      expect(Object.isFrozen(hooks)).to.equal(true);
      for (const name of ['trainBegin', 'epochBegin', 'batchBegin', 'batchEnd', 'epochEnd', 'trainEnd', 'finish', 'export'] as const) {
        expect(hooks[name].constructor, name).to.equal(AsyncSeriesHook);
      }
      expect(hooks.update.constructor).to.equal(SyncHook);
      for (const name of ['project', 'layerInput', 'preActivation', 'layerCall', 'layerOutput'] as const) {
        expect(hooks[name], name).to.be.instanceOf(HookMap);
      }
      expect(hooks.project.for('a/kernel').constructor).to.equal(SyncWaterfallHook);
      expect(hooks.layerInput.for('a').constructor).to.equal(SyncWaterfallHook);
      expect(hooks.preActivation.for('a').constructor).to.equal(SyncWaterfallHook);
      expect(hooks.layerCall.for('a').constructor).to.equal(SyncBailHook);
      expect(hooks.layerOutput.for('a').constructor).to.equal(SyncWaterfallHook);
      expect(Object.keys(hooks)).to.have.length(14);
    });

    it('names per-key hooks after their map and key, so tapable errors say which weight or layer', () => {
      const hooks = createSessionHooks();
      expect(hooks.project.for('dense/kernel').name).to.equal('project:dense/kernel');
      expect(hooks.layerCall.for('conv').name).to.equal('layerCall:conv');
      expect(hooks.batchEnd.name).to.equal('batchEnd');
    });

    it('gives every session its own hooks: a tap on one is not seen by another', () => {
      const a = createSessionHooks();
      const b = createSessionHooks();
      a.update.tap('x', () => {});
      expect(a.update.taps).to.have.length(1);
      expect(b.update.taps).to.have.length(0);
      expect(a.project.for('w')).to.not.equal(b.project.for('w'));
    });

    it('runs taps in stage-band order whatever order they were tapped in', async () => {
      const hooks = createSessionHooks();
      const order: string[] = [];
      const bands = ['EXPORT', 'OBSERVE', 'SCHEDULE', 'REPORT', 'EMULATE', 'PROJECT', 'STRUCTURE', 'CONSTRAIN'] as const;
      for (const band of bands) hooks.epochEnd.tap({ name: band, stage: Stage[band] }, () => void order.push(band));
      await hooks.epochEnd.promise({ session: undefined as unknown as PluginContext, epoch: 0, logs: {} });
      expect(order).to.deep.equal(['SCHEDULE', 'STRUCTURE', 'CONSTRAIN', 'EMULATE', 'PROJECT', 'OBSERVE', 'REPORT', 'EXPORT']);

      // The projection chain too: STRUCTURE's value reaches CONSTRAIN, then EMULATE.
      const chain: string[] = [];
      const project = hooks.project.for('w');
      project.tap({ name: 'q', stage: Stage.EMULATE }, (v) => (chain.push('EMULATE'), v));
      project.tap({ name: 'c', stage: Stage.CONSTRAIN }, (v) => (chain.push('CONSTRAIN'), v));
      project.tap({ name: 'p', stage: Stage.STRUCTURE }, (v) => (chain.push('STRUCTURE'), v));
      const t = tf.scalar(1);
      project.call(t, undefined as never);
      t.dispose();
      expect(chain).to.deep.equal(['STRUCTURE', 'CONSTRAIN', 'EMULATE']);
    });
  });

  describe('when each hook fires in a session', () => {
    it('fit(): start projection, trainBegin, then per epoch and batch in the documented order; finish, then export', async () => {
      const events: string[] = [];
      const model = tinyModel();
      const session = collab(model, [recorder(events)()], quiet);
      expect(events, 'nothing fires at collab(): the session starts lazily').to.deep.equal([]);
      const xs = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
      const ys = tf.tensor2d([[1], [2], [3], [4]]);
      await model.fit(xs, ys, { epochs: 2, batchSize: 2, shuffle: false, verbose: 0, callbacks: [session.callback()] });
      const epoch = (e: number, first: number) => [
        `epochBegin ${e}`,
        `batchBegin step ${first} batch 0 epoch ${e}`,
        ...FORWARD_TRAINING,
        `update step ${first}`,
        `project update step ${first}`,
        `batchEnd step ${first} batch 0`,
        `batchBegin step ${first + 1} batch 1 epoch ${e}`,
        ...FORWARD_TRAINING,
        `update step ${first + 1}`,
        `project update step ${first + 1}`,
        `batchEnd step ${first + 1} batch 1`,
        `epochEnd ${e}`,
      ];
      expect(events).to.deep.equal(['project start step 0', 'trainBegin', ...epoch(0, 1), ...epoch(1, 3), 'trainEnd']);

      events.length = 0;
      await session.finish();
      expect(events).to.deep.equal(['project finish step 4', 'finish', 'export']);
      tf.dispose([xs, ys]);
    });

    it("fit() validation runs after the last batch's update and before its batchEnd, on the projected model (training=false)", async () => {
      const events: string[] = [];
      const model = tinyModel();
      const session = collab(model, [recorder(events)()], quiet);
      const xs = tf.tensor2d([[1, 2], [3, 4]]);
      const ys = tf.tensor2d([[1], [2]]);
      await model.fit(xs, ys, { epochs: 1, batchSize: 2, verbose: 0, validationData: [xs, ys], callbacks: [session.callback()] });
      const update = events.indexOf('update step 1');
      const batchEnd = events.indexOf('batchEnd step 1 batch 0');
      expect(events.slice(update, batchEnd + 1)).to.deep.equal(['update step 1', 'project update step 1', ...FORWARD_INFERENCE, 'batchEnd step 1 batch 0']);
      await session.finish();
      tf.dispose([xs, ys]);
    });

    it('a custom loop: the first beforeStep() fires trainBegin, afterStep() absorbs the step, finish() fires trainEnd first', async () => {
      const events: string[] = [];
      const model = tinyModel();
      const session = collab(model, [recorder(events)()], quiet);
      const xs = tf.tensor2d([[1, 2]]);
      const ys = tf.tensor2d([[1]]);
      for (let i = 0; i < 2; i++) {
        await session.beforeStep();
        model.optimizer.minimize(() => tf.losses.meanSquaredError(ys, model.predict(xs) as tf.Tensor) as tf.Scalar);
        await session.afterStep();
      }
      await session.finish();
      expect(events).to.deep.equal([
        'project start step 0',
        'trainBegin',
        'batchBegin step 1 batch 0 epoch 0',
        'layerInput training=false calibrating=false', 'layerCall', 'preActivation', 'layerOutput',
        'update step 1',
        'project update step 1',
        'batchEnd step 1 batch 0',
        'batchBegin step 2 batch 1 epoch 0',
        'layerInput training=false calibrating=false', 'layerCall', 'preActivation', 'layerOutput',
        'update step 2',
        'project update step 2',
        'batchEnd step 2 batch 1',
        'trainEnd',
        'project finish step 2',
        'finish',
        'export',
      ]);
      tf.dispose([xs, ys]);
    });

    for (const at of ['batchBegin', 'batchEnd', 'epochEnd'] as const) {
      it(`${at}: a weight marked dirty before Stage.PROJECT is re-projected at Stage.PROJECT of that hook (phase '${at}'), before later bands`, async () => {
        const events: string[] = [];
        const model = tinyModel();
        const session = collab(model, [recorder(events, { markDirtyAt: at })()], quiet);
        await model.fit(tf.ones([1, 2]), tf.ones([1, 1]), { epochs: 1, batchSize: 1, verbose: 0, callbacks: [session.callback()] });
        const i = events.indexOf(`markDirty at ${at}`);
        expect(i, events.join('\n')).to.be.greaterThan(-1);
        const next = events[i + 2]!;
        expect(events[i + 1]).to.equal(`project ${at} step 1`);
        expect(next.startsWith(at), `the REPORT tap of ${at} runs after the re-projection: ${next}`).to.equal(true);
        // Marked once: no other re-projection with this phase.
        expect(events.filter((e) => e.startsWith(`project ${at}`))).to.have.length(1);
        await session.finish();
      });
    }

    it("finish: a weight marked dirty in a finish tap is re-projected (phase 'finish') before exporters run", async () => {
      const events: string[] = [];
      const model = tinyModel();
      const session = collab(model, [recorder(events, { markDirtyAt: 'finish' })()], quiet);
      await model.fit(tf.ones([1, 2]), tf.ones([1, 1]), { epochs: 1, batchSize: 1, verbose: 0, callbacks: [session.callback()] });
      events.length = 0;
      await session.finish();
      expect(events).to.deep.equal(['project finish step 1', 'markDirty at finish', 'finish', 'project finish step 1', 'export']);
    });

    it('calibrate(): forward hooks see calibrating=true and training=false; no training hook fires', async () => {
      const events: string[] = [];
      const model = tinyModel();
      const session = collab(model, [recorder(events)()], { ...quiet, train: false });
      const xs = tf.ones([3, 2]);
      await session.calibrate(xs, { batchSize: 3 });
      expect(events).to.deep.equal(['project start step 0', 'layerInput training=false calibrating=true', 'layerCall', 'preActivation', 'layerOutput']);
      await session.finish();
      xs.dispose();
    });
  });
});
