import type { Recipe } from '../recipe/Recipe';
import type { RecipeData } from '../data/RecipeData';
import type { RecipeExportCheck } from './checkRecipeExports';
import type { RunOptions } from './runRecipe';
import { RunInterruptedError } from '../errors/RunInterruptedError';
import type { StageStore } from './StageStore';

/** Everything one stage of a run needs that does not change between stages. */
export interface RunContext {
  readonly recipe: Recipe;
  readonly data: RecipeData;
  readonly store: StageStore;
  readonly options: RunOptions;
  readonly hashes: readonly string[];
  readonly finished: string[];
  /** Set before the first stage trains (see `checkRecipeExports`). */
  exportCheck: RecipeExportCheck | null;
}

/** Stops the run between atomic writes when its signal aborted (Ctrl-C), listing the finished stages. */
export function throwIfAborted(ctx: RunContext): void {
  if (ctx.options.signal?.aborted) throw new RunInterruptedError([...ctx.finished]);
}
