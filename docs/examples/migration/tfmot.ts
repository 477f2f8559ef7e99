/**
 * TFMOT calls and their collabopt equivalents, region by region, for
 * docs/guides/migration-from-tfmot.md. `main` builds each configuration against a small model so
 * that the docs test can check that they validate and compose, and runs the post-training path.
 *
 *   node --conditions=source -r ts-node/register docs/examples/migration/tfmot.ts
 */
import * as tf from '@tensorflow/tfjs';
import * as os from 'node:os';
import * as path from 'node:path';
import { collab, type OptimizationState, type Plugin } from '@collabopt/core';
import {
  CentroidInitialization,
  cluster,
  exportTflite,
  PolynomialDecaySchedule,
  prune,
  quantize,
  sparsityConstraint,
  tflite,
} from '@collabopt/plugins';

export async function main({ outDir = os.tmpdir() }: { outDir?: string } = {}) {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: 'relu', name: 'conv' }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ units: 3, activation: 'softmax', name: 'head' }),
    ],
  });
  const representativeImages = tf.randomUniform([32, 8, 8, 1], 0, 1, 'float32', 3);

  // #region prune
  // tfmot.sparsity.keras.prune_low_magnitude(model, pruning_schedule=PolynomialDecay(
  //     initial_sparsity=0.2, final_sparsity=0.8, begin_step=100, end_step=110, frequency=2))
  const polynomial = prune({
    schedule: { type: 'polynomialDecay', initialSparsity: 0.2, finalSparsity: 0.8, beginStep: 100, endStep: 110, frequency: 2 },
  });
  // Shortcut: polynomial decay from 0 when endStep is given, constant sparsity without it.
  const shortcut = prune({ finalSparsity: 0.8, beginStep: 100, endStep: 110, frequency: 2, initialSparsity: 0.2 });
  // ConstantSparsity(0.5, begin_step=0) — and positions in epochs, which TFMOT does not have:
  const constant = prune({ schedule: { type: 'constantSparsity', targetSparsity: 0.5, beginStep: '1ep' } });
  // #endregion prune

  // #region schedule
  // The schedule objects compute TFMOT's numbers (float32, same gate):
  const schedule = new PolynomialDecaySchedule({ initialSparsity: 0.2, finalSparsity: 0.8, beginStep: 100, endStep: 110, frequency: 2 });
  const at = [100, 102, 105, 110].map((step) => schedule.at(step)); // sparsity 0.2, 0.4928, (no prune at 105), 0.8
  // #endregion schedule

  // #region structured
  // block_size=(1, 4), block_pooling_type='MAX' / sparsity_m_by_n=(2, 4) / a PruningPolicy-like selection:
  const blocks = prune({ finalSparsity: 0.5, block: { size: [1, 4], pooling: 'max' }, include: [{ className: 'Dense' }] });
  const twoFour = prune({ nm: { m: 2, n: 4 } });
  // prune_low_magnitude on chosen layers via clone_function → include / exclude / per-layer rules:
  const selective = prune({ finalSparsity: 0.5, endStep: 1000, exclude: ['head'], layers: [{ select: ['conv'], finalSparsity: 0.3 }] });
  // #endregion structured

  // #region cluster
  // tfmot.clustering.keras.cluster_weights(model, number_of_clusters=16,
  //     cluster_centroids_init=CentroidInitialization.DENSITY_BASED)
  const clustering = cluster({ numClusters: 16, init: CentroidInitialization.DENSITY_BASED }); // or init: 'density'
  // experimental cluster_weights(..., cluster_per_channel=True)
  const perChannel = cluster({ numClusters: 16, perChannel: true });
  // #endregion cluster

  // #region schemes
  // quantize_model(model)                                        → QAT
  const qat: Plugin[] = [quantize()];
  // preserve_sparsity=True in cluster_weights                    → sparsity-preserving clustering
  const sparseClustering: Plugin[] = [sparsityConstraint(), cluster({ numClusters: 16 })];
  // quantize_apply(..., Default8BitPrunePreserveQuantizeScheme()) → PQAT
  const pqat: Plugin[] = [sparsityConstraint(), quantize()];
  // quantize_apply(..., Default8BitClusterPreserveQuantizeScheme(preserve_sparsity=False)) → CQAT
  const cqat: Plugin[] = [cluster(), quantize()];
  // quantize_apply(..., Default8BitClusterPreserveQuantizeScheme())  → PCQAT (TFMOT's default is preserve_sparsity=True)
  const pcqat: Plugin[] = [sparsityConstraint(), cluster(), quantize()];
  // #endregion schemes

  // #region ptq
  // converter.optimizations = [tf.lite.Optimize.DEFAULT]; converter.representative_dataset = ...
  const ptqPath = path.join(outDir, 'ptq-int8.tflite');
  const ptq = collab(model, [quantize({ mode: 'ptq' }), tflite({ path: ptqPath, mode: 'int8' })], { train: false });
  await ptq.calibrate(representativeImages, { batchSize: 8 }); // min/max over the representative data
  const { artifacts, state } = await ptq.finish();
  // Without the quantize plugin: observeActivationRanges(model, images, { state }) fills the same ranges.
  // #endregion ptq

  // #region convert
  // converter = tf.lite.TFLiteConverter.from_keras_model(model); converter.convert()  (no file needed)
  const { bytes: float32Bytes } = await exportTflite(model, { mode: 'float32' });
  const { bytes: float16Bytes } = await exportTflite(model, { mode: 'float16' }); // supported_types = [tf.float16]
  const { bytes: dynamicBytes } = await exportTflite(model, { mode: 'dynamic-range' }); // Optimize.DEFAULT, no dataset
  // #endregion convert

  tf.dispose(representativeImages);
  return {
    model,
    plugins: { polynomial, shortcut, constant, blocks, twoFour, selective, clustering, perChannel },
    schemes: { qat, sparseClustering, pqat, cqat, pcqat },
    at,
    ptq: { path: ptqPath, artifacts, state: state as OptimizationState },
    converted: { float32Bytes, float16Bytes, dynamicBytes },
  };
}

if (require.main === module) main().then(({ at }) => console.log(at));
