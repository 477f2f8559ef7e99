import type * as tf from '@tensorflow/tfjs';
import { CollabError } from '@collabopt/core';
import { getFileExporter, TfliteExportError, tfliteFileExporter } from '@collabopt/plugins';
import type { Recipe } from '../recipe/Recipe';
import { RecipeInputError } from '../errors/RecipeInputError';

/** What {@link checkRecipeExports} found out before training. */
export interface RecipeExportCheck {
  /**
   * Why no stage can have an int8 TFLite file (the INT8 column), in a few words, or null when it
   * can. Not an error unless the recipe's `exports` ask for TFLite themselves.
   */
  readonly int8Unavailable: string | null;
}

/**
 * Checks, before any stage trains, that the model can be written as every export the recipe asks
 * for and as the int8 file the results' INT8 column needs. Stages never change a model's layers,
 * so the model about to be trained first answers for every stage.
 *
 * @param recipe - the recipe, for its `exports` and its name in messages.
 * @param model - the model the run starts from.
 * @throws RecipeInputError (exit 2) naming the recipe, the export and every offending layer, when
 *   an export the recipe asks for cannot be written.
 */
export function checkRecipeExports(recipe: Recipe, model: tf.LayersModel): RecipeExportCheck {
  const failures = new Map<string, Error | null>();
  // By format and variant: an int8 file refuses layers (GRU gates, say) that a float file holds.
  const failureOf = (format: string, variant: string): Error | null => {
    const key = `${format}:${variant}`;
    if (!failures.has(key)) {
      try {
        getFileExporter(format).checkModel(model, variant);
        failures.set(key, null);
      } catch (e) {
        if (!(e instanceof CollabError)) throw e;
        failures.set(key, e);
      }
    }
    return failures.get(key)!;
  };
  for (const [i, spec] of (recipe.exports ?? []).entries()) {
    const exporter = getFileExporter(spec.format);
    const variant = String((spec as unknown as Record<string, unknown>)[exporter.variantKey] ?? exporter.variants[0]);
    const failure = failureOf(spec.format, variant);
    if (!failure) continue;
    throw new RecipeInputError(`recipe '${recipe.name}', exports[${i}] (${spec.format} ${variant}): ${failure.message}`, failure);
  }
  // The INT8 column is the stage's int8 TFLite file.
  const int8 = failureOf(tfliteFileExporter.format, 'int8');
  if (!int8) return { int8Unavailable: null };
  const anyMode = failureOf(tfliteFileExporter.format, 'float32');
  return { int8Unavailable: anyMode ? shortReason(anyMode, 'not exportable to TFLite') : shortReason(int8, 'no int8 TFLite form') };
}

/** `not exportable to TFLite: 'x' (MyLayer)`-sized: one line for a stage line or a table cell. */
function shortReason(e: Error, what: string): string {
  const layers = (e instanceof TfliteExportError ? e.unsupported : []).map((u) => `'${u.layer}' (${u.className})`);
  if (layers.length === 0) return `${what}: the model cannot be exported`;
  const shown = layers.length > 3 ? [...layers.slice(0, 3), `${layers.length - 3} more`] : layers;
  return `${what}: ${shown.join(', ')}`;
}
