import * as path from 'node:path';
import { libraryDir } from '../cli/loadTreeRecipes';
import type { TreeRecipe } from '../explore/DeploymentTree';
import { loadRecipe } from '../recipe/loadRecipe';
import type { Recipe, TrainingSpec } from '../recipe/Recipe';
import { validateRecipe } from '../recipe/validateRecipe';
import { SEED_TABLE_SPECS } from './SEED_TABLE_SPECS';
import type { SeedTableSpec } from './SeedTableSpec';

/**
 * The library recipes whose pipelines make the seed's columns, by the role they play. The seed
 * tables reuse them (one owner of each pipeline) with the spec's model, data and baseline.
 */
export const SEED_PIPELINES = Object.freeze({ qat: 'qat', pqat: 'prune-pqat', cqat: 'cluster-cqat', pcqat: 'prune-cluster-pcqat' } as const);

/** A pipeline role of {@link SEED_PIPELINES}. */
export type SeedPipeline = keyof typeof SEED_PIPELINES;

/** What `--quick` keeps: a few hundred samples and one epoch per stage (a smoke run of every path, ~2 minutes). */
export const SEED_QUICK = Object.freeze({ trainSamples: 600, testSamples: 300, representativeSamples: 100, epochs: 1 });

/** Name of the recipe of `spec` that follows `pipeline`, e.g. `ds-cnn-l-fashion-pqat`. */
export function seedRecipeName(spec: SeedTableSpec, pipeline: SeedPipeline): string {
  return `${spec.id}-${pipeline}`;
}

/**
 * The recipes of the seed tables: for every spec, the four library pipelines (QAT, PQAT, CQAT,
 * PCQAT) on its model and full dataset, validated like any recipe file. Run as one deployment
 * tree, each spec's baseline (and its prune stage) is trained once for all its pipelines.
 */
export async function seedTableRecipes(options: { quick?: boolean; specs?: readonly SeedTableSpec[] } = {}): Promise<TreeRecipe[]> {
  const pipelines = Object.keys(SEED_PIPELINES) as SeedPipeline[];
  // Each library pipeline is read once, then specialised per spec.
  const library = new Map<SeedPipeline, Recipe>();
  for (const p of pipelines) library.set(p, await loadRecipe(path.join(libraryDir(), `${SEED_PIPELINES[p]}.json`)));
  const quick = options.quick === true;
  const out: TreeRecipe[] = [];
  for (const spec of options.specs ?? SEED_TABLE_SPECS) {
    for (const pipeline of pipelines) {
      const base = library.get(pipeline)!;
      const epochs = (t: TrainingSpec): TrainingSpec => (quick && t.epochs !== undefined ? { ...t, epochs: Math.min(t.epochs, SEED_QUICK.epochs) } : t);
      const recipe: Recipe = {
        ...base,
        name: seedRecipeName(spec, pipeline),
        description: `${spec.title}: ${base.description ?? pipeline}`,
        model: quick ? spec.quickModel : spec.model,
        data: quick
          ? { dataset: spec.dataset, trainSamples: SEED_QUICK.trainSamples, testSamples: SEED_QUICK.testSamples, representativeSamples: SEED_QUICK.representativeSamples }
          : { dataset: spec.dataset, representativeSamples: base.data.representativeSamples },
        baseline: epochs(spec.baseline),
        // Full run: every training stage fine-tunes on the spec's first `fineTuneSamples`.
        stages: base.stages.map((s) => (quick ? (epochs(s) as typeof s) : s.epochs || s.steps !== undefined ? { ...s, trainSamples: spec.fineTuneSamples } : s)),
      };
      // Validated as a recipe file would be: a spec that breaks the schema fails here, by name.
      out.push({ recipe: validateRecipe(JSON.parse(JSON.stringify(recipe)), `seed table recipe ${recipe.name}`), baseDir: libraryDir() });
    }
  }
  return out;
}
