import * as path from 'node:path';
import { CollabError, loadModel } from '@collabopt/core';
import { observeActivationRanges, TfliteExportError, writeTflite, writeTfjsModel, type SizeReport } from '@collabopt/plugins';
import type { ExportSpec, Recipe } from '../recipe/Recipe';
import type { RecipeData } from '../data/RecipeData';
import { RecipeInputError } from './RecipeInputError';
import { releaseOptimizer } from './releaseOptimizer';
import type { StoredStage } from './StageStore';

/** One artifact the recipe's `exports` asked for, as written. */
export interface ExportResult {
  readonly format: ExportSpec['format'];
  /** TFLite mode, or tfjs weight quantization. */
  readonly variant: string;
  /** Absolute path of the file (TFLite) or directory (tfjs). */
  readonly path: string;
  readonly size: SizeReport;
  /** `raw → deflated (x%)`. */
  readonly compression: string;
}

/**
 * Writes a recipe's exports from its last stage into `dir`: TFLite files
 * (`model-<mode>.tflite` unless `file` is given) and tfjs model directories (`tfjs-<quantization>`
 * unless `dir` is given), with the exporters' options the spec carries,, each atomically. An int8 export of a float model calibrates activation ranges on the
 * representative data (post-training quantization); a quantized stage's own ranges are used
 * otherwise (ranges left in the state by an earlier quantized stage describe other weights).
 *
 * @throws RecipeInputError for an export path outside `dir`; the exporters' errors (unsupported
 *   layers, ...) with the recipe and export named.
 */
export async function writeExports(recipe: Recipe, last: StoredStage, dir: string, data: RecipeData): Promise<ExportResult[]> {
  const { model, state } = await loadModel(last.dir);
  releaseOptimizer(model);
  let calibrated = last.record.quantized;
  try {
    const results: ExportResult[] = [];
    for (const [i, spec] of (recipe.exports ?? []).entries()) {
      const where = `recipe '${recipe.name}', exports[${i}]`;
      const inside = (p: string) => {
        const target = path.resolve(dir, p);
        if (path.relative(dir, target).startsWith('..') || target === path.resolve(dir)) {
          throw new RecipeInputError(`${where}: '${p}' is not a path inside the output folder ${dir}`);
        }
        return target;
      };
      try {
        if (spec.format === 'tflite') {
          const { format: _f, file: name, mode, ...exporterOptions } = spec;
          const file = inside(name ?? `model-${mode}.tflite`);
          if (mode === 'int8' && !calibrated) {
            await observeActivationRanges(model, data.representative, { state });
            calibrated = true;
          }
          const written = await writeTflite(model, file, { ...exporterOptions, mode }, state);
          results.push({ format: 'tflite', variant: mode, path: file, size: written.report.size, compression: written.report.compression });
        } else {
          const { format: _f, dir: name, quantization = 'none', ...exporterOptions } = spec;
          const target = inside(name ?? `tfjs-${quantization}`);
          const written = await writeTfjsModel(model, target, { ...exporterOptions, quantization });
          results.push({ format: 'tfjs', variant: quantization, path: written.dir, size: written.report.size, compression: written.compression });
        }
      } catch (e) {
        throw exportFailure(e, `${where} (${spec.format})`);
      }
    }
    return results;
  } finally {
    state.dispose();
    model.dispose();
  }
}

/**
 * An exporter's error with the recipe and export named, keeping what kind of error it is: a model
 * or options the exporter refuses are bad input (exit 2); any other collabopt error keeps its
 * code (so its exit code); only errors collabopt did not throw on purpose become plain errors.
 */
function exportFailure(e: unknown, where: string): Error {
  if (e instanceof RecipeInputError) return e;
  const message = `${where}: ${(e as Error).message}`;
  if (e instanceof TfliteExportError && (e.reason === 'unsupported-layer' || e.reason === 'options')) return new RecipeInputError(message, e);
  if (e instanceof CollabError) {
    const wrapped = new CollabError(e.code, message);
    (wrapped as { cause?: unknown }).cause = e;
    return wrapped;
  }
  return new Error(message, { cause: e });
}
