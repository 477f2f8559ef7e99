import type { Recipe } from '../recipe/Recipe';

/** What `--quick` keeps at most of each split: training, test and representative samples. */
export const QUICK_LIMITS = Object.freeze({ trainSamples: 3000, testSamples: 1000, representativeSamples: 250 });

/**
 * The `--quick` variant of a recipe: the same pipeline on the first {@link QUICK_LIMITS} samples
 * of each split. Epochs are kept: an epoch is short on the smaller split anyway, schedules given
 * in epochs (`endStep: "1ep"`) stay consistent with the training they schedule, and a baseline cut
 * short would be undertrained, so every later stage would look better than it. The result has
 * other content hashes than the full recipe, so quick and full stages never resume from each other.
 */
export function quickRecipe(recipe: Recipe): Recipe {
  const cap = (value: number | undefined, limit: number) => Math.min(value ?? limit, limit);
  const data = {
    ...recipe.data,
    trainSamples: cap(recipe.data.trainSamples, QUICK_LIMITS.trainSamples),
    testSamples: cap(recipe.data.testSamples, QUICK_LIMITS.testSamples),
    representativeSamples: cap(recipe.data.representativeSamples, QUICK_LIMITS.representativeSamples),
  };
  return { ...recipe, data };
}
