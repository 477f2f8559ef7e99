import type { RecipeData } from '../data/RecipeData';
import type { LoadedModel } from '../models/LoadedModel';
import type { Recipe } from '../recipe/Recipe';

/**
 * Where the runner gets a recipe's model and data from. The CLI uses {@link LocalRecipeSources}
 * (the recipes package's model and data loaders, data loaded once per process); tests may pass
 * in-memory ones. Models are handed over (the runner trains, saves and disposes them, with their
 * state); data stays the sources' (the runner never disposes it), so one loaded dataset can serve
 * many recipes.
 */
export interface RecipeSources {
  /**
   * A fresh copy of the recipe's starting model. A `path` model is trained (the recipe's
   * `baseline` is skipped); `builtin` and `module` models get the baseline training.
   * @param baseDir the recipe file's folder, for relative paths.
   */
  model(recipe: Recipe, baseDir: string): Promise<LoadedModel>;
  /** The recipe's data, in memory. */
  data(recipe: Recipe, baseDir: string): Promise<RecipeData>;
}
