/**
 * before.ts with collabopt added: magnitude pruning to 50% through `model.fit()` callbacks.
 * docs/guides/existing-code.md walks through it.
 *
 *   node --conditions=source -r ts-node/register docs/examples/existing-code/fit.ts
 */
import * as tf from '@tensorflow/tfjs';
// #region imports
import { collab, selectBackend } from '@collabopt/core';
import { prune } from '@collabopt/plugins';
// #endregion imports
import { createModel, loadData, testAccuracy, type ExampleOptions } from './before';

export async function main(options: ExampleOptions = {}) {
  const log = options.log ?? console.log;
  // #region backend
  const backend = await selectBackend({ log }); // tfjs-node if installed, else wasm + training kernels
  // #endregion backend
  const { train, test } = await loadData(options);
  const model = createModel();
  // #region session
  const session = collab(model, [prune({ finalSparsity: 0.5, endStep: '2ep', frequency: 10 })]);
  const history = await model.fit(train.xs, train.ys, {
    epochs: options.epochs ?? 4,
    batchSize: 64,
    validationSplit: 0.1,
    callbacks: [tf.callbacks.earlyStopping({ monitor: 'val_loss', patience: 2 }), session.callback()],
  });
  await session.finish(); // the model keeps its pruned weights; latents and masks are released
  // #endregion session
  // #region logs
  const sparsity = history.history['sparsity'] as number[]; // one value per epoch, also 'sparsity/<layer>'
  log(`sparsity per epoch: ${sparsity.map((s) => s.toFixed(3)).join(', ')}`);
  log(`test accuracy: ${testAccuracy(model, test).toFixed(4)}`);
  // #endregion logs
  return { model, history, session, backend };
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
