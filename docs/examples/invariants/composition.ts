/**
 * How the composer orders plugins, and the errors users meet — each one produced for real.
 * docs/guides/invariants.md quotes these regions and the messages they print (the docs test
 * checks that every message in the guide is the one collabopt throws).
 *
 *   node --conditions=source -r ts-node/register docs/examples/invariants/composition.ts
 */
import * as tf from '@tensorflow/tfjs';
import * as os from 'node:os';
import * as path from 'node:path';
import { collab, definePlugin, Stage, type PluginContext } from '@collabopt/core';
import { cluster, prune, quantize, sparsityConstraint, tflite } from '@collabopt/plugins';

function createModel(): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [16], units: 32, activation: 'relu', name: 'fc1' }),
      tf.layers.dense({ units: 4, activation: 'softmax', name: 'fc2' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  return model;
}

/** The message of what `fn` throws (its class name first). */
async function thrown(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
  throw new Error('expected an error');
}

export async function main({ log = console.log }: { log?: (line: string) => void } = {}) {
  const model = createModel();
  const xs = tf.randomUniform([64, 16], 0, 1, 'float32', 1);
  const ys = tf.oneHot(tf.randomUniform([64], 0, 4, 'int32', 2), 4).asType('float32');
  const quiet = { onWarning: () => {} };

  // Stage 1: prune; its state says `sparsity` holds on fc1/kernel and fc2/kernel.
  const pruning = collab(model, [prune({ finalSparsity: 0.5, endStep: 4, frequency: 1 })], { name: 'prune', ...quiet });
  await model.fit(xs, ys, { epochs: 1, batchSize: 16, callbacks: [pruning.callback()] });
  const { state } = await pruning.finish();

  // #region order
  // Any listing order gives the same session: the composer orders by declarations.
  const a = collab(model, [quantize(), cluster({ numClusters: 8 }), sparsityConstraint()], { state });
  const b = collab(model, [sparsityConstraint(), quantize(), cluster({ numClusters: 8 })], { state });
  log(a.plugins.map((p) => p.name).join(' → ')); // sparsityConstraint → cluster → quantize
  log(b.plugins.map((p) => p.name).join(' → ')); // sparsityConstraint → cluster → quantize
  // #endregion order
  const order = [a.plugins.map((p) => p.name), b.plugins.map((p) => p.name)];
  a.dispose();
  b.dispose();

  const errors: Record<string, string> = {};
  // #region inherited
  // Fine-tuning a pruned model without keeping its mask:
  errors.inherited = await thrown(() => collab(model, [quantize()], { state }));
  // Fix: collab(model, [sparsityConstraint(), quantize()], { state })          — PQAT
  //  or: collab(model, [quantize()], { state, release: ['sparsity'] })         — let zeros regrow
  // #endregion inherited

  // #region notPreserved
  // A plugin whose projection runs after the mask and says it does not preserve `sparsity`:
  const noise = definePlugin<Record<string, never>>({
    name: 'noise',
    optionsSchema: { type: 'object', additionalProperties: false },
    invariants: { establishes: [], preserves: [], requires: [] },
    create: () => ({
      apply(session: PluginContext) {
        session.hooks.project.for('fc1/kernel').tap({ name: 'noise', stage: Stage.EMULATE }, (w) => tf.add(w, 1e-3));
      },
    }),
  });
  errors.notPreserved = await thrown(() => collab(model, [sparsityConstraint(), noise()], { state }));
  // #endregion notPreserved

  // #region cycle
  // Two plugins that each break what the other establishes:
  errors.cycle = await thrown(() => collab(model, [sparsityConstraint(), cluster({ preserveSparsity: false })], { state }));
  // #endregion cycle

  // #region requires
  // An int8 file needs weights on the int8 grid and activation ranges, i.e. quantize():
  const file = path.join(os.tmpdir(), 'model.tflite');
  errors.requires = await thrown(() => collab(model, [tflite({ path: file, mode: 'int8' })]));
  // #endregion requires

  // #region twice
  errors.twice = await thrown(() => collab(model, [cluster({ numClusters: 8 }), cluster({ numClusters: 16 })]));
  // Fix: one instance with per-layer rules: cluster({ numClusters: 8, layers: [{ select: ['fc2'], numClusters: 16 }] })
  // #endregion twice

  // #region options
  errors.range = await thrown(() => prune({ finalSparsity: 1.5 }));
  errors.typo = await thrown(() => cluster({ numClusters: 8, inti: 'linear' } as never));
  errors.target = await thrown(() => collab(model, [prune({ finalSparsity: 0.5, include: ['fc3'] })]));
  // #endregion options

  // #region runtime
  // The same projection with a false declaration: it claims to preserve `sparsity`.
  const jitter = definePlugin<Record<string, never>>({
    name: 'jitter',
    optionsSchema: { type: 'object', additionalProperties: false },
    invariants: { establishes: [], preserves: ['sparsity'], requires: [] },
    create: () => ({
      apply(session: PluginContext) {
        session.hooks.project.for('fc1/kernel').tap({ name: 'jitter', stage: Stage.EMULATE }, (w) => tf.add(w, 1e-3));
      },
    }),
  });
  const lying = collab(model, [sparsityConstraint(), jitter()], { state });
  errors.runtime = await thrown(() => model.fit(xs, ys, { epochs: 1, batchSize: 16, callbacks: [lying.callback()] }));
  // #endregion runtime
  lying.dispose();

  for (const [name, message] of Object.entries(errors)) log(`${name}:\n${message}\n`);
  state.dispose();
  tf.dispose([xs, ys]);
  return { order, errors };
}

if (require.main === module) main();
