import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadRecipeData } from '../data/loadRecipeData';
import type { RecipeData } from '../data/RecipeData';
import type { LoadedModel } from '../models/LoadedModel';
import { loadRecipeModel } from '../models/loadRecipeModel';
import type { Recipe } from '../recipe/Recipe';
import type { RecipeSources } from './RecipeSources';

/**
 * {@link RecipeSources} on the recipes package's loaders (`loadRecipeModel`, `loadRecipeData`),
 * loading each distinct data source once: the recipes of `start` and `explore` share one MNIST in
 * memory. Call {@link LocalRecipeSources.dispose} when done to release the data.
 */
export class LocalRecipeSources implements RecipeSources {
  private readonly cache = new Map<string, Promise<RecipeData>>();

  model(recipe: Recipe, baseDir: string): Promise<LoadedModel> {
    return loadRecipeModel(recipe.model, { baseDir });
  }

  data(recipe: Recipe, baseDir: string): Promise<RecipeData> {
    const source = recipe.data;
    // Relative paths name different files from different folders.
    const key = JSON.stringify({ ...source, base: 'dataset' in source && source.dir === undefined ? null : path.resolve(baseDir) });
    let loaded = this.cache.get(key);
    if (!loaded) {
      loaded = loadRecipeData(source, { baseDir });
      this.cache.set(key, loaded);
      // A failed load is not cached: the error is reported, and a retry loads again.
      loaded.catch(() => this.cache.delete(key));
    }
    return loaded;
  }

  /** Releases every dataset loaded so far. */
  async dispose(): Promise<void> {
    const all = [...this.cache.values()];
    this.cache.clear();
    for (const p of all) {
      const data = await p.catch(() => null);
      if (data) tf.dispose([data.train.xs, data.train.ys, data.test.xs, data.test.ys, data.representative]);
    }
  }
}
