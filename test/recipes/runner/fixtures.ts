/**
 * Recipes and sources for the runner tests: the library's model and data loaders on small MNIST
 * subsets (loaded once per test process and kept), and the seed's prune → sparsity-preserving
 * cluster → PCQAT path with one epoch per stage.
 */
import type { Recipe } from '../../../recipes/src/recipe/Recipe';
import { LocalRecipeSources } from '../../../recipes/src/runner/LocalRecipeSources';

export const TRAIN = 2000;
export const TEST = 500;
export const REPRESENTATIVE = 200;

/** Shared by every runner test (data kept for the whole process, as the helpers' MNIST is). */
export const sources = new LocalRecipeSources();

const adam = (learningRate: number) => ({ type: 'adam' as const, learningRate });

/** The common part of the test recipes: the library's CNN on the subset, a 2-epoch baseline. */
export const BASE = {
  model: { builtin: 'mnist-cnn' },
  data: { dataset: 'mnist', trainSamples: TRAIN, testSamples: TEST, representativeSamples: REPRESENTATIVE },
  baseline: { epochs: 2, batchSize: 64, optimizer: adam(0.005) },
} as const satisfies Partial<Recipe>;

/** Stages of the test recipes (one epoch each). */
export const STAGES = {
  prune: { name: 'prune', plugins: [{ plugin: 'prune', finalSparsity: 0.5, endStep: 20, frequency: 5 }], epochs: 1, batchSize: 64, optimizer: adam(0.001) },
  sparseCluster: {
    name: 'sparse-cluster',
    plugins: [{ plugin: 'sparsityConstraint' }, { plugin: 'cluster', numClusters: 16 }],
    epochs: 1,
    batchSize: 64,
    optimizer: adam(0.0005),
  },
  pcqat: {
    name: 'pcqat',
    plugins: [{ plugin: 'sparsityConstraint' }, { plugin: 'cluster', numClusters: 16 }, { plugin: 'quantize' }],
    epochs: 1,
    batchSize: 64,
    optimizer: adam(0.0003),
  },
  pqat: { name: 'pqat', plugins: [{ plugin: 'sparsityConstraint' }, { plugin: 'quantize' }], epochs: 1, batchSize: 64, optimizer: adam(0.0005) },
  qat: { name: 'qat', plugins: [{ plugin: 'quantize' }], epochs: 1, batchSize: 64, optimizer: adam(0.0005) },
  ptq: { name: 'ptq', plugins: [{ plugin: 'quantize', mode: 'ptq' }], calibrate: { batchSize: 50 } },
} as const;

/** The seed's level-3 path on the subset: baseline, prune 50%, sparse cluster (16), PCQAT, int8 export. */
export function pcqatRecipe(name = 'pcqat'): Recipe {
  return { name, ...BASE, stages: [STAGES.prune, STAGES.sparseCluster, STAGES.pcqat], exports: [{ format: 'tflite', mode: 'int8' }] };
}
