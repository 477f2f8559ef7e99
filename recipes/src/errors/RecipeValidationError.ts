import { CollabError } from '@collabopt/core';

/** One problem found in a recipe. */
export interface RecipeIssue {
  /**
   * JSON pointer to the offending value, e.g. `/stages/1/plugins/0/finalSparsity`; for a missing
   * field, the pointer of the field that should be there; `''` for the recipe (or its file) as a
   * whole.
   */
  readonly path: string;
  /** Plain language: what was expected, what was found, and a "did you mean" when one fits. */
  readonly message: string;
}

/**
 * A recipe is not valid: its file is missing or unreadable, its JSON does not parse, it breaks the
 * recipe schema, or it fails a check the schema cannot express (duplicate stage names, missing
 * referenced files, ...). `issues` lists every problem found; `message` lists them all, one per
 * line, as `path: message`. Code `'recipe'` (the CLI exits with 2).
 */
export class RecipeValidationError extends CollabError {
  /** Every problem found, in the order of the checks (schema order, then cross-field checks). */
  readonly issues: readonly RecipeIssue[];
  /** The recipe file (or other label) the issues are about, when known. */
  readonly source: string | undefined;

  constructor(issues: readonly RecipeIssue[], source?: string) {
    const head = `${source ?? 'recipe'}: invalid recipe (${issues.length} ${issues.length === 1 ? 'issue' : 'issues'})`;
    super('recipe', [head, ...issues.map((i) => `  ${RecipeValidationError.formatIssue(i)}`)].join('\n'));
    this.issues = issues;
    this.source = source;
  }

  /** `path: message`, with `(recipe)` standing for the empty pointer (the whole recipe or its file). */
  static formatIssue(issue: RecipeIssue): string {
    return `${issue.path === '' ? '(recipe)' : issue.path}: ${issue.message}`;
  }
}
