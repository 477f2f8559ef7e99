/**
 * Two stages with a save and a load in between, ending in an int8 TFLite file:
 * prune (stage 1, saved) → load → sparsity-preserving QAT (PQAT) + int8 TFLite export (stage 2).
 * docs/guides/existing-code.md walks through it.
 *
 *   node --conditions=source -r ts-node/register docs/examples/existing-code/deploy.ts
 */
import * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
// #region imports
import { collab, loadModel, selectBackend } from '@collabopt/core';
import { formatTfliteInspection, inspectTfliteFile, prune, quantize, sparsityConstraint, tflite } from '@collabopt/plugins';
// #endregion imports
import { createModel, loadData, testAccuracy, type ExampleOptions } from './before';

export async function main(options: ExampleOptions = {}) {
  const log = options.log ?? console.log;
  const outDir = options.outDir ?? 'out';
  const { train, test } = await loadData(options);
  const model = createModel();

  // #region stage1
  const pruning = collab(model, [prune({ finalSparsity: 0.5, endStep: '2ep', frequency: 10 })], { name: 'prune' });
  await model.fit(train.xs, train.ys, { epochs: 2, batchSize: 64, callbacks: [pruning.callback()] });
  await pruning.finish();
  await pruning.save(path.join(outDir, 'pruned')); // model.json + weights.bin + collabopt-state.json
  // #endregion stage1
  log(`pruned: test accuracy ${testAccuracy(model, test).toFixed(4)}`);

  // #region stage2
  const { model: pruned, state } = await loadModel(path.join(outDir, 'pruned'));
  pruned.compile({ optimizer: tf.train.adam(0.0005), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const tflitePath = path.join(outDir, 'mnist-pqat-int8.tflite');
  const pqat = collab(
    pruned,
    [
      sparsityConstraint(), // keeps the inherited mask: pruned weights stay exactly 0
      quantize(), // QAT: int8 weights and activations are emulated while training
      tflite({ path: tflitePath, mode: 'int8' }), // written by finish(); needs what quantize() establishes
    ],
    { name: 'pqat', state },
  );
  await pruned.fit(train.xs, train.ys, { epochs: 1, batchSize: 64, callbacks: [pqat.callback()] });
  const { artifacts } = await pqat.finish();
  log(`${artifacts[0].path}: ${artifacts[0].report?.['compression']}`); // raw → deflated bytes, as TFMOT reports
  // #endregion stage2
  log(`pqat: test accuracy ${testAccuracy(pruned, test).toFixed(4)}`);

  // #region inspect
  const inspection = await inspectTfliteFile(tflitePath);
  log(formatTfliteInspection(inspection, { tensors: false })); // operators; per-kernel type, sparsity, distinct values
  // #endregion inspect
  return { pruned, state, artifacts, tflitePath, inspection };
}

if (require.main === module) {
  selectBackend()
    .then(() => main())
    .catch((e) => {
      console.error(e);
      process.exitCode = 1;
    });
}
