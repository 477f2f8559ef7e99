import * as path from 'node:path';
import { CollabError, loadModel } from '@collabopt/core';
import { getFileExporter, TfliteExportError, type SizeReport } from '@collabopt/plugins';
import type { ExportSpec, Recipe } from '../recipe/Recipe';
import type { RecipeData } from '../data/RecipeData';
import { RecipeInputError } from '../errors/RecipeInputError';
import { calibrateAndWrite } from './calibrateAndWrite';
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
 * Writes a recipe's exports from its last stage into `dir`, each through the exporter registered
 * for its format (`getFileExporter`: the variant and target keys, default names, what a variant
 * needs), with the exporter's options the spec carries, each atomically: e.g. TFLite files
 * (`model-<mode>.tflite` unless `file` is given) and tfjs model directories (`tfjs-<quantization>`
 * unless `dir` is given). A variant that needs activation ranges calibrates a float model on the
 * representative data once (post-training quantization, see `calibrateAndWrite`); a stage that
 * emulated inference supplies its own ranges.
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
        const exporter = getFileExporter(spec.format);
        const { format: _f, [exporter.variantKey]: chosen, [exporter.targetKey]: name, ...options } = spec as unknown as Record<string, unknown>;
        const variant = (chosen as string | undefined) ?? exporter.variants[0];
        const target = inside((name as string | undefined) ?? exporter.defaultTarget(variant));
        const done = await calibrateAndWrite(model, state, { exporter, variant, target, options, calibrated, representative: data.representative });
        calibrated = done.calibrated;
        const { written } = done;
        results.push({ format: spec.format, variant, path: written.path, size: written.size, compression: written.compression });
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
