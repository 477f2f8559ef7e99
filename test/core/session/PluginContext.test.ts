import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { collab, definePlugin, Stage, type PluginContext } from '@collabopt/core';

const quiet = { onWarning: () => {} };

function tinyModel(): tf.LayersModel {
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1, name: 'lin' })] });
  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
  return model;
}

// Type-level: `tsc -p test --noEmit` fails if any of these stops being an error.
function contractIsNarrow(ctx: PluginContext): void {
  // @ts-expect-error plugins tap hooks but cannot fire them
  void ctx.hooks.batchBegin.promise;
  // @ts-expect-error plugins tap hooks but cannot fire them
  void ctx.hooks.update.call;
  // @ts-expect-error nor can they fire per-weight hooks
  void ctx.hooks.project.for('lin/kernel').call;
  // @ts-expect-error nor intercept hooks (the session records what is hooked through interceptors)
  void ctx.hooks.project.intercept;
  // @ts-expect-error the position is read-only
  ctx.step = 3;
  // @ts-expect-error the position is read-only
  ctx.epoch = 1;
  // @ts-expect-error plugins do not drive the loop
  void ctx.trainBegin;
  // @ts-expect-error nor absorb optimizer steps
  void ctx.absorbStep;
  // @ts-expect-error nor patch the optimizer
  void ctx.attachOptimizer;
  // @ts-expect-error nor finish the session
  void ctx.finish;
}
void contractIsNarrow;

describe('PluginContext', () => {
  it('is what apply() receives, and the same object hook contexts carry as session', async () => {
    let applied: PluginContext | undefined;
    const seen: PluginContext[] = [];
    const probe = definePlugin({
      name: 'probe',
      optionsSchema: { type: 'object', additionalProperties: false },
      invariants: { establishes: [], preserves: ['sparsity', 'clusters', 'int8-grid'], requires: [] },
      create: () => ({
        apply(ctx) {
          applied = ctx;
          ctx.hooks.batchEnd.tap({ name: 'probe', stage: Stage.REPORT }, ({ session }) => {
            seen.push(session);
          });
        },
      }),
    });
    const model = tinyModel();
    const session = collab(model, [probe()], quiet);
    expect(applied).to.equal(session);
    await model.fit(tf.ones([2, 2]), tf.ones([2, 1]), { epochs: 1, batchSize: 1, verbose: 0, callbacks: [session.callback()] });
    expect(seen).to.have.length(2);
    expect(seen.every((s) => s === session)).to.equal(true);
    await session.finish();
  });

  it('position is read-only at run time too: assigning step or epoch throws and changes nothing', async () => {
    const model = tinyModel();
    const session = collab(model, [], quiet);
    await model.fit(tf.ones([3, 2]), tf.ones([3, 1]), { epochs: 1, batchSize: 1, verbose: 0, callbacks: [session.callback()] });
    const ctx = session as PluginContext as { step: number; epoch: number };
    expect(() => {
      ctx.step = 100;
    }).to.throw(TypeError);
    expect(() => {
      ctx.epoch = 100;
    }).to.throw(TypeError);
    expect([session.step, session.epoch]).to.deep.equal([3, 1]);
    await session.finish();
  });
});
