import { CollabError } from '@collabopt/core';

/**
 * A recipe cannot be run as given — an unknown plugin, plugin options a stage's plugin rejects, an
 * impossible composition of a stage's plugins with what it inherits, an export path outside the
 * output folder. The message says what was wrong and where (recipe, stage, plugin). Code
 * `'recipe-input'` (the CLI exits with 2: the input is wrong, not collabopt).
 */
export class RecipeInputError extends CollabError {
  /** @param cause the underlying error (e.g. a `CompositionError`), kept as `error.cause`. */
  constructor(message: string, cause?: unknown) {
    super('recipe-input', message);
    if (cause !== undefined) (this as { cause?: unknown }).cause = cause;
  }
}
