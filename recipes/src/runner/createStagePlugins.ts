import type { Plugin } from '@collabopt/core';
import type { StageSpec } from '../recipe/Recipe';
import { recipePlugins, type RecipePluginFactory } from '../schema/recipePlugins';
import { RecipeInputError } from '../errors/RecipeInputError';

/**
 * Makes the plugins of one stage from its recipe entries (each entry's keys other than `plugin`
 * are the plugin's options), through the map of plugin names to factories recipes use
 * (`recipePlugins`: `prune`, `sparsityConstraint`, `cluster`, `quantize`).
 *
 * @param factories plugin factories by name; default `recipePlugins`.
 * @throws RecipeInputError naming the recipe, the stage and the plugin entry, for an unknown plugin
 *   or options the plugin rejects (the plugin's message follows, with JSON pointers).
 */
export function createStagePlugins(
  recipe: string,
  stage: StageSpec,
  factories: ReadonlyMap<string, RecipePluginFactory> = recipePlugins,
): Plugin<unknown>[] {
  return stage.plugins.map((entry, i) => {
    const where = `recipe '${recipe}', stage '${stage.name}', plugins[${i}]`;
    const factory = factories.get(entry.plugin);
    if (!factory) {
      throw new RecipeInputError(`${where}: unknown plugin '${entry.plugin}'; known plugins: ${[...factories.keys()].sort().join(', ')}`);
    }
    const { plugin: _name, ...options } = entry;
    try {
      return factory(options);
    } catch (e) {
      throw new RecipeInputError(`${where} ('${entry.plugin}'): ${(e as Error).message}`, e);
    }
  });
}
