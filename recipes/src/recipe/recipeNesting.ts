import type { RecipeIssue } from '../errors/RecipeValidationError';

/**
 * Deepest nesting of arrays and objects a recipe may have. Real recipes stay below 10 (recipe →
 * stages → plugin → layers → select → selector); the limit is far above that and far below what
 * recursive code (the parser, the schema validator, `structuredClone`) survives, so an absurd file
 * is an input error, not a crash.
 */
export const MAX_RECIPE_NESTING = 100;

/**
 * The issue for a value nested deeper than {@link MAX_RECIPE_NESTING}, or null. Iterative, so it
 * is safe on any depth.
 *
 * @param value - a parsed recipe (any JSON value).
 */
export function recipeNestingIssue(value: unknown): RecipeIssue | null {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { value: v, depth, path } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_RECIPE_NESTING) return tooDeep(path);
    for (const [k, child] of Object.entries(v)) stack.push({ value: child, depth: depth + 1, path: `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}` });
  }
  return null;
}

/**
 * The issue for an array or object opened at depth {@link MAX_RECIPE_NESTING} + 1, at `path`.
 *
 * @param path - JSON pointer of the value that is one level too deep.
 * @param where - e.g. ` at line 1, column 101`, when the position in the file is known.
 */
export function tooDeep(path: string, where = ''): RecipeIssue {
  return {
    path: abbreviatePointer(path),
    message: `nesting too deep: more than ${MAX_RECIPE_NESTING} levels of arrays and objects${where} (a recipe needs fewer than 10)`,
  };
}

/** A pointer 100 levels deep is unreadable: keep its first and last segments. */
function abbreviatePointer(path: string): string {
  const parts = path.split('/').slice(1);
  if (parts.length <= 8) return path;
  return `/${parts.slice(0, 4).join('/')}/…(${parts.length - 6} more levels)…/${parts.slice(-2).join('/')}`;
}
