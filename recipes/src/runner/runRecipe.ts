import type * as tf from '@tensorflow/tfjs';
import { loadModel, metadataOf, type CheckFrequency, type OptimizationState, type Session } from '@collabopt/core';
import type { Recipe, StageSpec, TrainingSpec } from '../recipe/Recipe';
import type { RecipePluginFactory } from '../schema/recipePlugins';
import type { ProgressListener } from './ProgressListener';
import { checkDataFitsModel } from '../data/checkDataFitsModel';
import { RecipeInputError } from '../errors/RecipeInputError';
import { RecipeSourceError } from '../errors/RecipeSourceError';
import { finishAndMeasure } from './finishAndMeasure';
import { measureInt8 } from './measureInt8';
import { openStageSession } from './openStageSession';
import { releaseOptimizer } from './releaseOptimizer';
import type { RecipeSources } from './RecipeSources';
import { throwIfAborted, type RunContext } from './RunContext';
import { recordStage } from './recordStage';
import { stageSteps } from './stageSteps';
import { StageStore, type StoredStage } from './StageStore';
import { stageHashes } from './stageHashes';
import { trainOrCalibrate } from './trainOrCalibrate';
import { writeExports, type ExportResult } from './writeExports';
import { checkRecipeExports } from './checkRecipeExports';
import { createStagePlugins } from './createStagePlugins';

export { STAGE_INT8_FILE } from './measureInt8';

/** Options of {@link runRecipe}. */
export interface RunOptions {
  /** Where the model and data come from. */
  readonly sources: RecipeSources;
  /** Output folder: stages go to `<out>/<recipe>/stages/`, exports to `<out>/<recipe>/`. */
  readonly out: string;
  /** The recipe file's folder, for relative model/data paths. Default: the working directory. */
  readonly baseDir?: string;
  /** Continue from complete stages on disk (`--resume`). Ignored when `store` is given. Default false. */
  readonly resume?: boolean;
  /** Stage directories shared by several runs in one process (`start`, `explore`); default a new store on `out`. */
  readonly store?: StageStore;
  /** Progress events (progress bars); default none. */
  readonly progress?: ProgressListener;
  /** Stops the run between atomic writes (Ctrl-C); the running stage is discarded, finished ones stay. */
  readonly signal?: AbortSignal;
  /** Plugin factories by the names recipes use; default `recipePlugins`. */
  readonly plugins?: ReadonlyMap<string, RecipePluginFactory>;
  /** How often sessions verify invariants (tests: `'step'`). Default `'epoch'`. */
  readonly checkEvery?: CheckFrequency;
  /** Write the recipe's `exports` after the last stage. Default true. */
  readonly exports?: boolean;
}

/** One stage of a run, as finished (run now or reused). */
export interface RunStage extends StoredStage {
  /** The stage as the recipe names it (`'baseline'` for index 0). */
  readonly name: string;
  /** True when the stage was not run but taken from a complete stage directory (resume or shared prefix). */
  readonly reused: boolean;
}

/** What {@link runRecipe} produced. */
export interface RunResult {
  readonly recipe: string;
  /** `<out>/<recipe>`. */
  readonly dir: string;
  /** Baseline, then every stage, in order. */
  readonly stages: readonly RunStage[];
  readonly exports: readonly ExportResult[];
}

/**
 * Runs a recipe: trains (or loads) the baseline, then each stage as a `collab()` session that
 * inherits the previous stage's optimization state, and writes the recipe's exports.
 *
 * Per stage, one step each (files of the same name): `openStageSession` (the stage's plugins,
 * `release`d invariants dropped, `train: false` without steps), `trainOrCalibrate` (`fit` with the
 * session callback, or `session.calibrate()` over the representative data for post-training
 * quantization), `finishAndMeasure` (the top-1: fake-int8 while a session whose plugins emulate
 * inference still runs), `session.save()` into the stage directory (atomic), `measureInt8` (the
 * stage as a full-integer int8 TFLite file, through `calibrateAndWrite` as the recipe's exports,
 * run in the TFLite interpreter), and last `recordStage`. The next stage loads
 * the saved directory (`loadModel`): every hand-off goes through the disk, so a resumed run
 * computes exactly what an uninterrupted one does.
 *
 * Complete stages whose content hash matches (see `stageHashes`) are taken from disk instead of
 * being run, when the store allows it (`--resume`, or a prefix another recipe of the same
 * `start`/`explore` run already trained).
 *
 * Batches are taken in dataset order (no shuffling), so runs are reproducible and resumable.
 *
 * @throws RecipeInputError for a recipe that cannot run (unknown plugin, bad options, impossible
 *   composition); RecipeSourceError for a model or data source that cannot be used, or data that
 *   does not fit the model (checked before anything trains); RunInterruptedError when `signal`
 *   aborted the run.
 */
export async function runRecipe(recipe: Recipe, options: RunOptions): Promise<RunResult> {
  const baseDir = options.baseDir ?? process.cwd();
  const store = options.store ?? new StageStore(options.out, options.resume ?? false);
  const ctx: RunContext = {
    recipe,
    data: await options.sources.data(recipe, baseDir),
    store,
    options,
    hashes: stageHashes(recipe, baseDir),
    finished: [],
    exportCheck: null,
  };
  checkStageSamples(recipe, ctx.data.train.xs.shape[0]);
  checkStagePlugins(recipe, options.plugins);
  const names = ['baseline', ...recipe.stages.map((s) => s.name)];
  const stages: RunStage[] = [];

  // Stages taken from disk: the longest prefix that is complete.
  for (let i = 0; i < names.length; i++) {
    const found = await store.find(ctx.hashes[i]);
    if (!found) break;
    stages.push({ ...found, name: names[i], reused: true });
  }
  for (const s of stages) {
    options.progress?.stageBegin?.({ recipe: recipe.name, index: s.record.index, count: names.length, name: s.name, epochs: 0, stepsPerEpoch: 0, reusedFrom: s.dir });
    options.progress?.stageEnd?.(s.record, s.dir);
    ctx.finished.push(s.dir);
  }

  for (let i = stages.length; i < names.length; i++) {
    throwIfAborted(ctx);
    const done = i === 0 ? await runBaseline(ctx, baseDir) : await runStage(ctx, i, stages[i - 1].dir);
    stages.push({ ...done, name: names[i], reused: false });
    ctx.finished.push(done.dir);
  }

  let exports: ExportResult[] = [];
  if ((options.exports ?? true) && (recipe.exports?.length ?? 0) > 0) {
    throwIfAborted(ctx);
    options.progress?.activity?.('exporting');
    exports = await writeExports(recipe, stages[stages.length - 1], store.recipeDir(recipe.name), ctx.data);
  }
  return { recipe: recipe.name, dir: store.recipeDir(recipe.name), stages, exports };
}

/** Stage 0: the source model, trained with the recipe's `baseline` unless it is trained already. */
async function runBaseline(ctx: RunContext, baseDir: string): Promise<StoredStage> {
  const { recipe } = ctx;
  const where = `recipe '${recipe.name}'`;
  const source = await ctx.options.sources.model(recipe, baseDir);
  releaseOptimizer(source.model);
  try {
    checkDataFitsModel(source.model, ctx.data);
  } catch (e) {
    source.model.dispose();
    source.state?.dispose();
    throw e instanceof RecipeSourceError ? new RecipeSourceError(`${where}: ${e.message}`, { cause: e }) : e;
  }
  // A saved model is the baseline as it is; built-in and module models train the recipe's baseline.
  const spec: TrainingSpec = source.origin === 'path' ? { epochs: 0 } : (recipe.baseline ?? {});
  const stage: StageSpec = { ...spec, name: 'baseline', plugins: [] };
  return trainStage(ctx, 0, stage, source.model, source.state ?? undefined);
}

/**
 * A stage's `trainSamples` must fit the loaded training data. Validation checks it against the
 * built-in datasets' sizes; a data module's size is known only once loaded, still before anything trains.
 */
function checkStageSamples(recipe: Recipe, loaded: number): void {
  recipe.stages.forEach((s, i) => {
    if (s.trainSamples !== undefined && s.trainSamples > loaded) {
      throw new RecipeInputError(`recipe '${recipe.name}', /stages/${i}/trainSamples: expected at most ${loaded} (the training samples loaded), found ${s.trainSamples}`);
    }
  });
}

/**
 * Every stage's plugins can be made from their entries: unknown names and options a plugin
 * rejects fail before the baseline trains, not when their stage comes. Validation checks the
 * built-in plugins' options against the schema; custom factories (`RunOptions.plugins`) are known
 * only here. The plugins made are dropped: a plugin holds nothing until a session attaches it.
 */
function checkStagePlugins(recipe: Recipe, factories: RunOptions['plugins']): void {
  for (const stage of recipe.stages) createStagePlugins(recipe.name, stage, factories);
}

/** Stage `index` (1-based), on the model and state saved by the stage before it. */
async function runStage(ctx: RunContext, index: number, previousDir: string): Promise<StoredStage> {
  const { model, state } = await loadModel(previousDir);
  releaseOptimizer(model);
  return trainStage(ctx, index, ctx.recipe.stages[index - 1], model, state);
}

/**
 * Runs one stage on `model` (owned: disposed at the end) inheriting `inherited` (owned too), in
 * steps: check the exports before anything trains, open the session, train or calibrate, finish
 * and measure top-1, save, write and measure the INT8 file, complete the stage record.
 */
async function trainStage(
  ctx: RunContext,
  index: number,
  spec: StageSpec,
  model: tf.LayersModel,
  inherited: OptimizationState | undefined,
): Promise<StoredStage> {
  const { recipe, data, options } = ctx;
  const steps = stageSteps(spec, spec.trainSamples ?? data.train.xs.shape[0]);
  const dir = ctx.store.dirFor(recipe.name, index, spec.name);
  let session: Session | undefined;
  const started = Date.now();
  try {
    // Before anything trains: exports the recipe asks for that cannot be written fail now.
    ctx.exportCheck ??= checkRecipeExports(recipe, model);
    session = openStageSession(ctx, spec, model, inherited, steps.steps);
    const emulates = session.plugins.some((p) => metadataOf(p).emulatesInference);
    options.progress?.stageBegin?.({
      recipe: recipe.name,
      index,
      count: recipe.stages.length + 1,
      name: spec.name,
      epochs: steps.epochs,
      stepsPerEpoch: steps.steps > 0 ? steps.stepsPerEpoch : 0,
      reusedFrom: null,
    });
    const training = await trainOrCalibrate(ctx, spec, session, model, steps, emulates);
    // A stopped fit() returns normally: the stage is incomplete and is not saved.
    throwIfAborted(ctx);
    const { state, accuracy } = await finishAndMeasure(ctx, session, model, emulates);
    throwIfAborted(ctx);

    options.progress?.activity?.('saving');
    releaseOptimizer(model);
    await session.save(dir);
    const int8 = await measureInt8(ctx, model, state, emulates, dir);
    const record = recordStage(ctx, { index, spec, session, model, state, steps, training, emulated: emulates, accuracy, int8, seconds: (Date.now() - started) / 1000 });
    const stored = await ctx.store.complete(dir, record);
    options.progress?.stageEnd?.(record, stored.dir);
    return stored;
  } finally {
    session?.dispose();
    inherited?.dispose();
    releaseOptimizer(model);
    model.dispose();
  }
}
