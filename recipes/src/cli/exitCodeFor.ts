import { CollabError } from '@collabopt/core';

/**
 * Error codes that mean "the input is wrong" — the recipe, its model or data, the command line,
 * plugin options or their composition — rather than "collabopt failed".
 */
const INPUT_ERRORS = new Set(['recipe', 'recipe-source', 'recipe-input', 'usage', 'plugin-options', 'composition', 'target']);

/**
 * The `collabopt` exit code for an error a command threw: 2 for invalid input (a `CollabError`
 * whose code is `recipe`, `recipe-source`, `recipe-input`, `usage`, `plugin-options`,
 * `composition` or `target`), 1 for anything else (an unexpected failure).
 */
export function exitCodeFor(error: unknown): 1 | 2 {
  return error instanceof CollabError && INPUT_ERRORS.has(error.code) ? 2 : 1;
}
