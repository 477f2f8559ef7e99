/**
 * before.ts trained by a hand-written loop (`optimizer.minimize`), with pruning.
 * docs/guides/existing-code.md walks through it.
 *
 *   node --conditions=source -r ts-node/register docs/examples/existing-code/customLoop.ts
 */
import * as tf from '@tensorflow/tfjs';
import { collab, selectBackend, type Logs } from '@collabopt/core';
import { prune } from '@collabopt/plugins';
import { createModel, loadData, testAccuracy, type ExampleOptions } from './before';

export async function main(options: ExampleOptions = {}) {
  const log = options.log ?? console.log;
  const { train, test } = await loadData(options);
  const model = createModel();
  const epochs = options.epochs ?? 4;
  // #region loop
  const optimizer = tf.train.adam(0.002);
  const batchSize = 64;
  const batchesPerEpoch = Math.floor(train.xs.shape[0] / batchSize);
  // A custom loop has no fit() params: give schedule positions in steps, not epochs.
  const session = collab(model, [prune({ finalSparsity: 0.5, endStep: 2 * batchesPerEpoch, frequency: 10 })]);
  const epochLogs: Logs[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    await session.beginEpoch();
    for (let b = 0; b < batchesPerEpoch; b++) {
      const xs = train.xs.slice(b * batchSize, batchSize);
      const ys = train.ys.slice(b * batchSize, batchSize);
      await session.beforeStep(); // step counter, schedules, masks
      optimizer.minimize(() => {
        const probs = model.apply(xs, { training: true }) as tf.Tensor;
        return tf.metrics.categoricalCrossentropy(ys, probs).mean() as tf.Scalar;
      });
      await session.afterStep(); // latents take the step, weights are re-projected
      tf.dispose([xs, ys]);
    }
    const logs: Logs = {};
    await session.endEpoch(logs); // invariant checks; plugins add e.g. logs.sparsity
    epochLogs.push(logs);
  }
  await session.finish();
  // #endregion loop
  log(`sparsity per epoch: ${epochLogs.map((l) => Number(l['sparsity']).toFixed(3)).join(', ')}`);
  log(`test accuracy: ${testAccuracy(model, test).toFixed(4)}`);
  return { model, session, epochLogs };
}

if (require.main === module) {
  selectBackend()
    .then(() => main())
    .catch((e) => {
      console.error(e);
      process.exitCode = 1;
    });
}
