import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { DataSource, ModelSource, Recipe } from '../recipe/Recipe';

/**
 * Bumped when the runner's semantics change (what a stage computes, or what its record holds),
 * so stage directories written by an older runner are never resumed from.
 */
export const STAGE_FORMAT_VERSION = 1;

/** JSON with object keys sorted at every level: equal content, equal text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Relative paths mean different files in different folders: hash the resolved path. */
function resolveSource<S extends ModelSource | DataSource>(source: S, baseDir: string): S {
  if ('module' in source) return { ...source, module: path.resolve(baseDir, source.module) };
  if ('path' in source) return { ...source, path: path.resolve(baseDir, source.path) };
  return source;
}

/**
 * Content hashes of every prefix of a recipe's pipeline: element 0 identifies the baseline (model
 * source, data, baseline training, seed), element `i` the baseline followed by stages `1..i`.
 * Each hash chains the previous one, so two recipes share a stage exactly when everything before
 * and including it is the same — this is how `--resume` refuses a stage an edited recipe no
 * longer produces, and how `start` and `explore` train a shared prefix once.
 *
 * Names and descriptions (of the recipe and of stages), the backend and the exports do not change
 * what a stage computes and are left out; relative model/data paths are resolved against
 * `baseDir` first.
 */
export function stageHashes(recipe: Recipe, baseDir: string): string[] {
  const hash = (text: string) => createHash('sha256').update(text).digest('hex');
  const root = hash(
    canonical({
      format: STAGE_FORMAT_VERSION,
      model: resolveSource(recipe.model, baseDir),
      data: resolveSource(recipe.data, baseDir),
      baseline: recipe.baseline ?? null,
      seed: recipe.seed ?? 0,
    }),
  );
  const hashes = [root];
  for (const stage of recipe.stages) {
    const { name: _name, description: _description, ...content } = stage as typeof stage & { description?: string };
    hashes.push(hash(`${hashes[hashes.length - 1]}/${canonical(content)}`));
  }
  return hashes;
}
