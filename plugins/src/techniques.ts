import { isTechnique } from './common/defineTechnique';
import type { Technique } from './common/Technique';
import * as folders from './techniqueFolders';

/**
 * The techniques of `@collabopt/plugins`: every {@link Technique} that a folder listed in
 * `plugins/src/techniqueFolders.ts` exports, in the order of its lines (pruning, clustering,
 * quantization: the order recipes list their plugins in, and error messages too). The package is
 * CommonJS, whose re-exports keep that order. Recipes, the recipe schema and the docs tooling
 * derive from this list.
 * @group Plugins
 */
export const techniques: readonly Technique[] = Object.freeze(Object.values(folders).filter(isTechnique));
