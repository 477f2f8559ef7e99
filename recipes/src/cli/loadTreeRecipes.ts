import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DeploymentTree, type TreeRecipe } from '../explore/DeploymentTree';
import { loadRecipe } from '../recipe/loadRecipe';
import type { Recipe } from '../recipe/Recipe';

/** The recipe library shipped with the package: `recipes/library/*.json` (src/cli and dist/cli are two levels below it). */
export function libraryDir(): string {
  return path.join(__dirname, '..', '..', 'library');
}

/**
 * Loads recipe files (default: every recipe of the library) as the recipes of one deployment
 * tree, each validated by `loadRecipe`, optionally transformed (`--quick`), and put in the
 * order the tree is walked (`DeploymentTree.explorationOrder`: level by level, cheapest first),
 * which is also the order its table lists branches.
 *
 * @throws RecipeValidationError for an invalid recipe file.
 */
export async function loadTreeRecipes(files?: readonly string[], transform: (r: Recipe) => Recipe = (r) => r): Promise<TreeRecipe[]> {
  const paths = files ?? (await fs.readdir(libraryDir())).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(libraryDir(), f));
  const recipes: TreeRecipe[] = [];
  for (const file of paths) recipes.push({ recipe: transform(await loadRecipe(file)), baseDir: path.dirname(file) });
  return new DeploymentTree(recipes).explorationOrder().map((leaf) => leaf.recipe);
}
