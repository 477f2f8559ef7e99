/**
 * @packageDocumentation
 * Browser-safe entry of `@collabopt/recipes`: the recipe types and JSON Schema, validation,
 * built-in models, and the data/model checks a runner needs. Reading files, loading modules and
 * datasets, and the CLI are in the Node entry.
 */
export type { Recipe, ModelSource, DataSource, DataLimits, OptimizerSpec, TrainingSpec, PluginSpec, StageSpec, ExportSpec } from './recipe/Recipe';
export { RECIPE_DEFAULTS } from './recipe/recipeDefaults';
export { validateRecipe } from './recipe/validateRecipe';
export { parseRecipeJson } from './recipe/parseRecipeJson';
export { RecipeValidationError } from './errors/RecipeValidationError';
export type { RecipeIssue } from './errors/RecipeValidationError';
export { RecipeSourceError } from './errors/RecipeSourceError';
export { buildRecipeSchema } from './schema/buildRecipeSchema';
export type { JsonSchema } from './schema/JsonSchema';
export { recipePlugins, recipePluginTable } from './schema/recipePlugins';
export { releasableInvariants } from './schema/releasableInvariants';
export type { RecipePluginFactory } from './schema/recipePlugins';
export { recipeReference } from './schema/recipeReference';
export { builtinModels } from './models/builtinModels';
export type { BuiltinModel } from './models/BuiltinModel';
export { mnistCnn } from './models/mnistCnn';
export { uNet, type UNetOptions } from './models/uNet';
export type { LoadedModel } from './models/LoadedModel';
export { BUILTIN_DATASET_NAMES } from './data/builtinDatasetNames';
export type { BuiltinDatasetName } from './data/builtinDatasetNames';
export type { RecipeData } from './data/RecipeData';
export { checkDataFitsModel } from './data/checkDataFitsModel';
