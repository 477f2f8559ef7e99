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
  const failureOf = (format: string): Error | null => {
    if (!failures.has(format)) {
      try {
        getFileExporter(format).checkModel(model);
        failures.set(format, null);
      } catch (e) {
        if (!(e instanceof CollabError)) throw e;
        failures.set(format, e);
      }
    }
    return failures.get(format)!;
  };
  for (const [i, spec] of (recipe.exports ?? []).entries()) {
    const failure = failureOf(spec.format);
    if (!failure) continue;
    const variant = (spec as unknown as Record<string, unknown>)[getFileExporter(spec.format).variantKey];
    throw new RecipeInputError(`recipe '${recipe.name}', exports[${i}] (${spec.format} ${variant}): ${failure.message}`, failure);
  }
  // The INT8 column is the stage's TFLite file.
  const tflite = failureOf(tfliteFileExporter.format);
  return { int8Unavailable: tflite ? shortReason(tflite) : null };
}

/** `layer 'x' (MyLayer) has no TFLite lowering`-sized: one line for a stage line or a table cell. */
function shortReason(e: Error): string {
  const layers = (e instanceof TfliteExportError ? e.unsupported : []).map((u) => `'${u.layer}' (${u.className})`);
  if (layers.length === 0) return 'the model cannot be exported to TFLite';
  const shown = layers.length > 3 ? [...layers.slice(0, 3), `${layers.length - 3} more`] : layers;
  return `not exportable to TFLite: ${shown.join(', ')}`;
}
