import type { Plugin } from '@collabopt/core';
import { techniques, type Technique } from '@collabopt/plugins';

/**
 * A plugin factory as recipes use it: made from JSON options. (`PluginFactory<O>` is typed per
 * plugin; recipes only know the options as JSON, which the factory validates again.)
 */
export type RecipePluginFactory = ((options?: Record<string, unknown>) => Plugin<unknown>) & {
  readonly pluginName: string;
  readonly optionsSchema: Readonly<Record<string, unknown>>;
};

/**
 * The plugins of `techniques`, by name, in the techniques' order.
 * @throws Error naming both techniques when two of them have a plugin of the same name.
 */
export function recipePluginTable(list: readonly Technique[]): ReadonlyMap<string, RecipePluginFactory> {
  const table = new Map<string, RecipePluginFactory>();
  const owner = new Map<string, string>();
  for (const technique of list) {
    for (const factory of technique.plugins) {
      const other = owner.get(factory.pluginName);
      if (other !== undefined) throw new Error(`techniques '${other}' and '${technique.name}' both have a plugin named '${factory.pluginName}'`);
      owner.set(factory.pluginName, technique.name);
      // Recipes call factories with JSON options, which each factory validates against its schema.
      table.set(factory.pluginName, factory as unknown as RecipePluginFactory);
    }
  }
  return table;
}

/**
 * The plugins a recipe stage can list, by name: those of the registered `techniques`
 * (`prune`, `sparsityConstraint`, `cluster`, `quantize`). Each one's `optionsSchema` becomes one
 * branch of the recipe schema. Exporters are not stage plugins: a recipe writes artifacts through
 * `exports`.
 */
export const recipePlugins: ReadonlyMap<string, RecipePluginFactory> = recipePluginTable(techniques);
