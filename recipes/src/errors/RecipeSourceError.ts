import { CollabError } from '@collabopt/core';

/**
 * A recipe's model or data source cannot be used: a built-in dataset is not installed, a module
 * does not export what recipes need, a saved model cannot be read, or the data does not fit the
 * model. The message names the source, what was expected and what was found. Code
 * `'recipe-source'` (the CLI exits with 2: the input is wrong, not collabopt).
 */
export class RecipeSourceError extends CollabError {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super('recipe-source', message);
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}
