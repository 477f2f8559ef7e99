import * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
import { loadModel, closestMatch } from '@collabopt/core';
import { RecipeSourceError } from '../errors/RecipeSourceError';
import type { ModelSource } from '../recipe/Recipe';
import { requireModule } from '../util/requireModule';
import { builtinModels } from './builtinModels';
import type { LoadedModel } from './LoadedModel';

/** Options of {@link loadRecipeModel}. */
export interface LoadRecipeModelOptions {
  /** Directory that relative `module`/`path` entries are relative to. Default: the working directory (`loadRecipe` already made them absolute). */
  readonly baseDir?: string;
}

/**
 * Makes or loads a recipe's model:
 * - `{ builtin }`: a new untrained instance of a {@link builtinModels} entry;
 * - `{ module }`: the module's `createModel()` (named export, or on its default export), awaited;
 *   it must return a built `tf.LayersModel`;
 * - `{ path }`: a saved tfjs model directory through core's `loadModel`, with the optimization
 *   state saved next to it (so a later recipe can start from an earlier recipe's stage).
 *
 * @throws RecipeSourceError naming the source and what is wrong with it.
 */
export async function loadRecipeModel(source: ModelSource, options: LoadRecipeModelOptions = {}): Promise<LoadedModel> {
  const resolve = (p: string) => path.resolve(options.baseDir ?? process.cwd(), p);
  if ('builtin' in source) {
    const builtin = builtinModels[source.builtin];
    if (!builtin) {
      const guess = closestMatch(source.builtin, Object.keys(builtinModels));
      throw new RecipeSourceError(
        `unknown built-in model "${source.builtin}"${guess ? ` (did you mean "${guess}"?)` : ''}; built-in models: ${Object.keys(builtinModels).join(', ')}`,
      );
    }
    const options = 'options' in source && source.options ? source.options : undefined;
    const described = options && Object.keys(options).length > 0 ? ` ${JSON.stringify(options)}` : '';
    return { model: builtin.create(options), origin: 'builtin', state: null, description: `builtin ${builtin.name}${described}` };
  }
  if ('module' in source) {
    const file = resolve(source.module);
    return { model: await fromModule(file), origin: 'module', state: null, description: `module ${path.basename(file)}` };
  }
  const dir = resolve(source.path);
  try {
    const { model, state } = await loadModel(dir);
    return { model, origin: 'path', state, description: `saved model ${dir}` };
  } catch (e) {
    throw new RecipeSourceError(`cannot load the saved model ${dir}: ${(e as Error).message}`, { cause: e });
  }
}

async function fromModule(file: string): Promise<tf.LayersModel> {
  const what = 'model module';
  const ns = requireModule(file, what);
  const fallback = ns.default as Record<string, unknown> | undefined;
  const createModel = typeof ns.createModel === 'function' ? ns.createModel : typeof fallback?.createModel === 'function' ? fallback.createModel : undefined;
  if (typeof createModel !== 'function') {
    const names = Object.keys(ns);
    throw new RecipeSourceError(`the ${what} ${file} does not export a function createModel() (its exports: ${names.join(', ') || 'none'})`);
  }
  let model: unknown;
  try {
    model = await (createModel as () => unknown)();
  } catch (e) {
    throw new RecipeSourceError(`the ${what} ${file}: createModel() failed: ${(e as Error).message}`, { cause: e });
  }
  if (!(model instanceof tf.LayersModel)) {
    const looksLikeModel = typeof model === 'object' && model !== null && 'layers' in model && 'predict' in model;
    throw new RecipeSourceError(
      looksLikeModel
        ? `the ${what} ${file}: createModel() returned a model of another copy of @tensorflow/tfjs; the module must import the same @tensorflow/tfjs as collabopt`
        : `the ${what} ${file}: createModel() must return a tf.LayersModel (tf.sequential() or tf.model()), found ${model === null ? 'null' : typeof model}`,
    );
  }
  // tfjs itself refuses a Sequential layer without an input shape; an empty Sequential gets here.
  if (model.layers.length === 0 || !model.layers.every((l) => l.built)) {
    throw new RecipeSourceError(`the ${what} ${file}: createModel() returned a model without built layers; add layers, the first with an inputShape`);
  }
  return model;
}
