/**
 * The string patterns of the recipe schema, each with the plain-language phrase that error
 * messages use instead of the regular expression.
 */
export const recipePatterns = Object.freeze({
  /** Recipe and stage names: they name directories and results rows. */
  safeName: Object.freeze({
    pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
    phrase: "a name made of letters, digits, '.', '_' and '-', starting with a letter or digit (it names directories)",
  }),
  /** `$schema`: any path or URL of the published schema file. */
  schemaReference: Object.freeze({
    pattern: '(^|[/\\\\])recipe\\.schema\\.json$',
    phrase: 'a path or URL of recipe.schema.json, e.g. "../schema/recipe.schema.json"',
  }),
  /** A directory export's name (tfjs): inside the recipe's output directory (it is replaced as a whole). */
  exportDir: Object.freeze({
    pattern: '^(?!\\.\\.?$)[^/\\\\]+$',
    phrase: 'a directory name without "/" (not "." or "..")',
  }),
});

/**
 * The pattern of an export's file name with `extension` (an exporter's `targetExtension`, e.g.
 * `.tflite`): inside the recipe's output directory, never outside it.
 */
export function exportFilePattern(extension: string): { readonly pattern: string; readonly phrase: string } {
  const escaped = extension.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return Object.freeze({ pattern: `^(?!\\.\\.?$)[^/\\\\]+${escaped}$`, phrase: `a file name ending in "${extension}", without directories` });
}
