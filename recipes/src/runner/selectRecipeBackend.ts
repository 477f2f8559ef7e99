import { selectBackend, type BackendSelection } from '@collabopt/core';
import type { Recipe } from '../recipe/Recipe';
import { RecipeInputError } from '../errors/RecipeInputError';

/**
 * Makes the backend the recipes ask for active (core's `selectBackend`: tfjs-node, else wasm with
 * collabopt's training kernels, else cpu). A recipe's `backend: 'auto'` (or none) leaves the
 * choice to the `COLLABOPT_BACKEND` environment variable, then to auto-detection.
 *
 * @param log receives the one-line report of what was picked.
 * @throws RecipeInputError when recipes run together ask for different backends.
 */
export async function selectRecipeBackend(recipes: readonly Recipe[], log: (line: string) => void): Promise<BackendSelection> {
  const wanted = new Set(recipes.map((r) => r.backend ?? 'auto').filter((b) => b !== 'auto'));
  if (wanted.size > 1) {
    throw new RecipeInputError(`the recipes run together ask for different backends (${[...wanted].join(', ')}); use one, or 'auto'`);
  }
  const [backend] = [...wanted];
  return selectBackend({ ...(backend ? { backend } : {}), log });
}
