import type { PluginFactory } from '@collabopt/core';
import type { OptionTypesFile } from './OptionTypesFile';

/**
 * One technique of `@collabopt/plugins` (pruning, clustering, quantization): what the recipes and
 * the docs tooling need to know about its folder, stated once, in the folder. Make it with
 * {@link defineTechnique} and export it from the folder's `index.ts`; the folder's line in
 * `plugins/src/techniqueFolders.ts` then registers it in {@link techniques}, from which derive
 * the plugins recipes can list (`recipePlugins`), their branches of the recipe schema, the
 * invariants a recipe stage may release, the generated option types and the option tables of its
 * README card.
 * @group Plugins
 */
export interface Technique {
  /** The technique's name, which is also its folder under `plugins/src/`, e.g. `'pruning'`. */
  readonly name: string;
  /**
   * Its plugin factories, as recipes list them (by `pluginName`). Each one's options table is
   * generated into the folder's `README.md`, in the region `<kebab-case plugin name>-options`.
   */
  readonly plugins: readonly PluginFactory<unknown, never>[];
  /** The invariants its plugins can establish (names); a recipe stage may release them. */
  readonly establishes: readonly string[];
  /** The generated option type files of its plugins (`npm run docs:sync` writes them). */
  readonly optionTypes: readonly OptionTypesFile[];
}
