import Ajv, { type ValidateFunction } from 'ajv';
import { listFileExporters, techniques, type Technique } from '@collabopt/plugins';
import { RecipeValidationError, type RecipeIssue } from '../errors/RecipeValidationError';
import { buildRecipeSchema } from '../schema/buildRecipeSchema';
import { recipePluginTable, recipePlugins, type RecipePluginFactory } from '../schema/recipePlugins';
import { releasableInvariants } from '../schema/releasableInvariants';
import { crossFieldIssues } from './crossFieldIssues';
import { recipeNestingIssue } from './recipeNesting';
import type { Recipe } from './Recipe';
import { schemaIssues } from './schemaIssues';

// Strict ajv: unknown keywords in the schema are bugs; `discriminator` picks one plugin's (export
// format's, optimizer's) branch by its tag; `verbose` gives the error translator the schemas and
// values it phrases messages from; `useDefaults` fills the schema's defaults into our copy.
// Compiled once per technique list.
const validators = new WeakMap<readonly Technique[], { validate: ValidateFunction; plugins: ReadonlyMap<string, RecipePluginFactory> }>();

function compiled(registry: readonly Technique[]): { validate: ValidateFunction; plugins: ReadonlyMap<string, RecipePluginFactory> } {
  let entry = validators.get(registry);
  if (!entry) {
    const plugins = registry === techniques ? recipePlugins : recipePluginTable(registry);
    const validate = new Ajv({ allErrors: true, strict: true, discriminator: true, useDefaults: true, verbose: true, allowUnionTypes: true }).compile(
      buildRecipeSchema(plugins.values(), releasableInvariants(registry)),
    );
    entry = { validate, plugins };
    validators.set(registry, entry);
  }
  return entry;
}

/**
 * Validates a parsed recipe against the recipe schema and the checks the schema cannot express
 * (unique stage names and export targets, epochs or steps, post-training quantization calibrates,
 * int8 exports need a quantize stage, each plugin's own option checks), and returns a copy with
 * every default filled in — including export file names (each exporter's default
 * target: `model-<mode>.tflite`, `tfjs-<quantization>`). The input is not modified. Relative paths stay as written (see
 * `loadRecipe`, which resolves and checks them).
 *
 * @param json - the parsed recipe (any JSON value).
 * @param source - what to call the recipe in the error message, e.g. its file name.
 * @param registry - the techniques whose plugins stages may list; default the registered
 *   `techniques` of `@collabopt/plugins`.
 * @throws RecipeValidationError listing every issue, each with a JSON pointer and a plain message.
 */
export function validateRecipe(json: unknown, source?: string, registry: readonly Technique[] = techniques): Recipe {
  // Before anything recursive (structuredClone, ajv) sees it.
  const deep = recipeNestingIssue(json);
  if (deep) throw new RecipeValidationError([deep], source);
  let copy: unknown;
  try {
    copy = structuredClone(json);
  } catch (e) {
    throw new RecipeValidationError([{ path: '', message: `expected JSON data, found a value that cannot be copied (${(e as Error).message})` }], source);
  }
  const { validate, plugins } = compiled(registry);
  const issues: RecipeIssue[] = validate(copy) ? [] : schemaIssues(validate.errors ?? [], copy);
  fillExportNames(copy);
  issues.push(...crossFieldIssues(copy, issues.map((i) => i.path), plugins));
  if (issues.length > 0) throw new RecipeValidationError(issues, source);
  return copy as Recipe;
}

/** Default export targets depend on another field, which JSON Schema defaults cannot express. */
function fillExportNames(recipe: unknown): void {
  const exports = (recipe as { exports?: unknown } | null)?.exports;
  if (!Array.isArray(exports)) return;
  const exporters = new Map(listFileExporters().map((e) => [e.format, e]));
  for (const spec of exports as Record<string, unknown>[]) {
    const exporter = typeof spec?.format === 'string' ? exporters.get(spec.format) : undefined;
    const variant = exporter && spec[exporter.variantKey];
    if (exporter && spec[exporter.targetKey] === undefined && typeof variant === 'string') spec[exporter.targetKey] = exporter.defaultTarget(variant);
  }
}
