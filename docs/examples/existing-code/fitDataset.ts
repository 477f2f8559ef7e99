/**
 * before.ts trained with `model.fitDataset()` from a `tf.data` generator, with pruning.
 * docs/guides/existing-code.md walks through it.
 *
 *   node --conditions=source -r ts-node/register docs/examples/existing-code/fitDataset.ts
 */
import * as tf from '@tensorflow/tfjs';
import { collab, selectBackend } from '@collabopt/core';
import { prune } from '@collabopt/plugins';
import { createModel, loadData, testAccuracy, type ExampleOptions } from './before';

export async function main(options: ExampleOptions = {}) {
  const log = options.log ?? console.log;
  const { train, test } = await loadData(options);
  const model = createModel();
  // #region dataset
  const batchSize = 64;
  const batchesPerEpoch = Math.floor(train.xs.shape[0] / batchSize);
  const batches = tf.data
    .generator(function* () {
      for (let b = 0; ; b = (b + 1) % batchesPerEpoch) {
        yield { xs: train.xs.slice(b * batchSize, batchSize), ys: train.ys.slice(b * batchSize, batchSize) };
      }
    })
    .prefetch(2);
  // #endregion dataset
  // #region session
  const session = collab(model, [prune({ finalSparsity: 0.5, endStep: '2ep', frequency: 10 })]);
  await model.fitDataset(batches, {
    epochs: options.epochs ?? 4,
    batchesPerEpoch, // a generator has no size: this is how the session learns what '2ep' means
    validationData: [test.xs, test.ys],
    callbacks: [session.callback()],
  });
  await session.finish();
  // #endregion session
  log(`test accuracy: ${testAccuracy(model, test).toFixed(4)}`);
  return { model, session };
}

if (require.main === module) {
  selectBackend()
    .then(() => main())
    .catch((e) => {
      console.error(e);
      process.exitCode = 1;
    });
}
