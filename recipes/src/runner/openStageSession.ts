import type * as tf from '@tensorflow/tfjs';
import { collab, CollabError, type OptimizationState, type Session } from '@collabopt/core';
import type { StageSpec } from '../recipe/Recipe';
import { RecipeInputError } from '../errors/RecipeInputError';
import { createStagePlugins } from './createStagePlugins';
import type { RunContext } from './RunContext';

/**
 * The stage's `collab()` session on `model`, inheriting `inherited`: its plugins from the recipe
 * entries, `release`d invariants dropped, `train: false` when it has no steps.
 *
 * @throws RecipeInputError naming the recipe and stage for options, composition and targeting
 *   errors: the recipe asks for something impossible.
 */
export function openStageSession(ctx: RunContext, spec: StageSpec, model: tf.LayersModel, inherited: OptimizationState | undefined, steps: number): Session {
  const { recipe, options } = ctx;
  const where = `recipe '${recipe.name}', stage '${spec.name}'`;
  try {
    return collab(model, createStagePlugins(recipe.name, spec, options.plugins), {
      name: spec.name,
      ...(inherited ? { state: inherited } : {}),
      ...(spec.release ? { release: spec.release } : {}),
      train: steps > 0,
      seed: recipe.seed ?? 0,
      checkEvery: options.checkEvery ?? 'epoch',
      onWarning: (m: string) => options.progress?.warn?.(`${where}: ${m}`),
    });
  } catch (e) {
    if (e instanceof RecipeInputError) throw e;
    if (e instanceof CollabError) throw new RecipeInputError(`${where}: ${e.message}`, e);
    throw e;
  }
}
