import type { Plugin } from '@collabopt/core';
import { cluster, prune, quantize, sparsityConstraint } from '@collabopt/plugins';

/**
 * A plugin factory as recipes use it: made from JSON options. (`PluginFactory<O>` is typed per
 * plugin; recipes only know the options as JSON, which the factory validates again.)
 */
export type RecipePluginFactory = ((options?: Record<string, unknown>) => Plugin<unknown>) & {
  readonly pluginName: string;
  readonly optionsSchema: Readonly<Record<string, unknown>>;
};

/**
 * The plugins a recipe stage can list, by name: `prune`, `sparsityConstraint`, `cluster`,
 * `quantize`. Each one's `optionsSchema` becomes one branch of the recipe schema. Exporters are
 * not stage plugins: a recipe writes artifacts through `exports`.
 */
export const recipePlugins: ReadonlyMap<string, RecipePluginFactory> = new Map(
  ([prune, sparsityConstraint, cluster, quantize] as unknown as RecipePluginFactory[]).map((f) => [f.pluginName, f]),
);
