import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  collab,
  CollabError,
  loadModel,
  type CheckFrequency,
  type OptimizationState,
  type Session,
} from '@collabopt/core';
import { observeActivationRanges, writeTflite } from '@collabopt/plugins';
import type { Recipe, StageSpec, TrainingSpec } from '../recipe/Recipe';
import { RECIPE_DEFAULTS } from '../recipe/recipeDefaults';
import type { RecipePluginFactory } from '../schema/recipePlugins';
import { createOptimizer, LearningRateSchedule } from './createOptimizer';
import { createStagePlugins } from './createStagePlugins';
import { kernelSample } from './kernelSample';
import { kernelStats } from './kernelStats';
import { measureTflite } from './measureTflite';
import { TfliteUnavailableError } from './TfliteUnavailableError';
import { topOneAccuracy } from './topOneAccuracy';
import type { ProgressListener } from './ProgressListener';
import { checkDataFitsModel } from '../data/checkDataFitsModel';
import type { RecipeData } from '../data/RecipeData';
import { RecipeSourceError } from '../errors/RecipeSourceError';
import { RecipeInputError } from './RecipeInputError';
import { releaseOptimizer } from './releaseOptimizer';
import type { RecipeSources } from './RecipeSources';
import { RunInterruptedError } from './RunInterruptedError';
import type { EpochLog, Int8Result, StageRecord } from './StageRecord';
import { StageStore, type StoredStage } from './StageStore';
import { STAGE_FORMAT_VERSION, stageHashes } from './stageHashes';
import { writeExports, type ExportResult } from './writeExports';
import { checkRecipeExports, type RecipeExportCheck } from './checkRecipeExports';

/** File name of the stage's full-integer int8 TFLite file, inside its stage directory. */
export const STAGE_INT8_FILE = 'model.int8.tflite';

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

/** Everything one stage needs that does not change between stages. */
interface RunContext {
  readonly recipe: Recipe;
  readonly data: RecipeData;
  readonly store: StageStore;
  readonly options: RunOptions;
  readonly hashes: readonly string[];
  readonly finished: string[];
  /** Set before the first stage trains (see `checkRecipeExports`). */
  exportCheck: RecipeExportCheck | null;
}

/**
 * Runs a recipe: trains (or loads) the baseline, then each stage as a `collab()` session that
 * inherits the previous stage's optimization state, and writes the recipe's exports.
 *
 * Per stage: session with the stage's plugins (`release`d invariants dropped, `train: false` for
 * stages without epochs), `fit` with the session callback — or `session.calibrate()` over the
 * representative data for post-training quantization — then the FP32 top-1 (fake-int8 while a
 * quantize session still runs, since its forward hooks make `predict()` the emulated model),
 * `finish()`, `session.save()` into the stage directory (atomic), the stage as a full-integer int8
 * TFLite file measured in the TFLite interpreter, and last the stage record. The next stage loads
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

function throwIfAborted(ctx: RunContext): void {
  if (ctx.options.signal?.aborted) throw new RunInterruptedError([...ctx.finished]);
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

/** Stage `index` (1-based), on the model and state saved by the stage before it. */
async function runStage(ctx: RunContext, index: number, previousDir: string): Promise<StoredStage> {
  const { model, state } = await loadModel(previousDir);
  releaseOptimizer(model);
  return trainStage(ctx, index, ctx.recipe.stages[index - 1], model, state);
}

/** Runs one stage on `model` (owned: disposed at the end) inheriting `inherited` (owned too). */
async function trainStage(
  ctx: RunContext,
  index: number,
  spec: StageSpec,
  model: tf.LayersModel,
  inherited: OptimizationState | undefined,
): Promise<StoredStage> {
  const { recipe, data, options } = ctx;
  const where = `recipe '${recipe.name}', stage '${spec.name}'`;
  const batchSize = spec.batchSize ?? RECIPE_DEFAULTS.batchSize;
  const stepsPerEpoch = Math.ceil(data.train.xs.shape[0] / batchSize);
  // `steps` trains exactly that many batches: enough epochs, the last one cut short.
  const steps = spec.steps ?? (spec.epochs ?? 0) * stepsPerEpoch;
  const epochs = Math.ceil(steps / stepsPerEpoch);
  const dir = ctx.store.dirFor(recipe.name, index, spec.name);
  const warn = (m: string) => options.progress?.warn?.(`${where}: ${m}`);
  let session: Session | undefined;
  const started = Date.now();
  try {
    // Before anything trains: exports the recipe asks for that cannot be written fail now.
    ctx.exportCheck ??= checkRecipeExports(recipe, model);
    try {
      session = collab(model, createStagePlugins(recipe.name, spec, options.plugins), {
        name: spec.name,
        ...(inherited ? { state: inherited } : {}),
        ...(spec.release ? { release: spec.release } : {}),
        train: steps > 0,
        seed: recipe.seed ?? 0,
        checkEvery: options.checkEvery ?? 'epoch',
        onWarning: warn,
      });
    } catch (e) {
      // Options, composition and targeting errors: the recipe asks for something impossible.
      if (e instanceof RecipeInputError) throw e;
      if (e instanceof CollabError) throw new RecipeInputError(`${where}: ${e.message}`, e);
      throw e;
    }
    const quantized = session.plugins.some((p) => p.name === 'quantize');
    options.progress?.stageBegin?.({
      recipe: recipe.name,
      index,
      count: recipe.stages.length + 1,
      name: spec.name,
      epochs,
      stepsPerEpoch: steps > 0 ? stepsPerEpoch : 0,
      reusedFrom: null,
    });

    const history: EpochLog[] = [];
    let calibrationBatches = 0;
    if (steps > 0) {
      const optimizer = createOptimizer(spec.optimizer, where);
      model.compile({ optimizer, loss: spec.loss ?? RECIPE_DEFAULTS.loss, metrics: ['accuracy'] });
      await model.fit(data.train.xs, data.train.ys, {
        epochs,
        batchSize,
        shuffle: false,
        verbose: 0,
        callbacks: [
          new LearningRateSchedule(optimizer, spec.optimizer, epochs),
          session.callback(),
          new ProgressCallback(ctx, model, epochs, stepsPerEpoch, steps, history),
        ],
      });
    } else if (spec.calibrate || quantized) {
      options.progress?.activity?.('calibrating');
      const calibrationBatch = spec.calibrate?.batchSize ?? RECIPE_DEFAULTS.calibrateBatchSize;
      const calibrationSteps = spec.calibrate?.steps ?? Infinity;
      await session.calibrate(data.representative, { batchSize: calibrationBatch, steps: calibrationSteps });
      calibrationBatches = Math.min(calibrationSteps, Math.ceil(data.representative.shape[0] / calibrationBatch));
    }
    // A stopped fit() returns normally: the stage is incomplete and is not saved.
    throwIfAborted(ctx);

    options.progress?.activity?.('measuring');
    // While a quantize session runs, predict() is the emulated int8 model (fake-int8 accuracy);
    // a float stage is measured on the final projected weights.
    let accuracy = quantized ? topOneAccuracy(model, data.test) : NaN;
    const { state } = await session.finish();
    if (!quantized) accuracy = topOneAccuracy(model, data.test);
    throwIfAborted(ctx);

    options.progress?.activity?.('saving');
    releaseOptimizer(model);
    await session.save(dir);
    const int8 = await measureInt8(ctx, model, state, quantized, dir);
    const record: StageRecord = {
      format: 'collabopt-stage',
      version: STAGE_FORMAT_VERSION,
      hash: ctx.hashes[index],
      recipe: recipe.name,
      index,
      name: spec.name,
      path: ['baseline', ...recipe.stages.slice(0, index).map((s) => s.name)],
      quantized,
      plugins: session.plugins.map((p) => p.name),
      training: {
        epochs,
        steps,
        batchSize: steps > 0 ? batchSize : null,
        calibrationBatches,
        seconds: (Date.now() - started) / 1000,
        history,
      },
      accuracy,
      testSamples: data.test.labels.length,
      int8,
      kernels: kernelStats(model, state),
      kernelSample: kernelSample(model),
      finishedAt: new Date().toISOString(),
    };
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

/** tfjs callback: progress events, epoch history, the `steps` limit, and Ctrl-C → stop after the current batch. */
class ProgressCallback extends tf.Callback {
  private epoch = 0;
  private step = 0;

  constructor(
    private readonly ctx: RunContext,
    private readonly target: tf.LayersModel,
    private readonly epochs: number,
    private readonly stepsPerEpoch: number,
    private readonly steps: number,
    readonly history: EpochLog[],
  ) {
    super();
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
  }

  override async onBatchEnd(batch: number, logs?: tf.Logs): Promise<void> {
    const acc = logValue(logs, 'acc');
    this.ctx.options.progress?.batchEnd?.({ epoch: this.epoch, batch, stepsPerEpoch: this.stepsPerEpoch, loss: logValue(logs, 'loss') ?? NaN, ...(acc !== undefined ? { accuracy: acc } : {}) });
    // fit() checks this flag after every batch: the run stops within one batch of Ctrl-C, and a
    // stage given in `steps` stops exactly there.
    if (++this.step >= this.steps || this.ctx.options.signal?.aborted) this.target.stopTraining = true;
  }

  override async onEpochEnd(epoch: number, logs?: tf.Logs): Promise<void> {
    const acc = logValue(logs, 'acc');
    const log: EpochLog = { epoch, loss: logValue(logs, 'loss') ?? NaN, ...(acc !== undefined ? { accuracy: acc } : {}) };
    this.history.push(log);
    this.ctx.options.progress?.epochEnd?.({ epoch, epochs: this.epochs, loss: log.loss, ...(acc !== undefined ? { accuracy: acc } : {}) });
  }
}

/** A log entry as a number: tfjs hands callbacks scalar tensors (disposed right after) as well as numbers. */
function logValue(logs: tf.Logs | undefined, key: string): number | undefined {
  const v = logs?.[key] as number | tf.Scalar | undefined;
  if (v === undefined) return undefined;
  return typeof v === 'number' ? v : v.dataSync()[0];
}

/**
 * The INT8 column: the stage written as a full-integer int8 TFLite file (activation ranges from
 * the quantize session, or calibrated on the representative data for a float stage, as TFLite's
 * post-training quantization does) and run in the TFLite interpreter on the test split. Whatever
 * cannot be measured is said in `unavailable`, never guessed.
 */
async function measureInt8(ctx: RunContext, model: tf.LayersModel, state: OptimizationState, quantized: boolean, dir: string): Promise<Int8Result> {
  const known = ctx.exportCheck?.int8Unavailable ?? null;
  if (known !== null) return { file: null, ranges: null, size: null, compression: null, accuracy: null, latencyMs: null, unavailable: known, verified: {} };
  const file = path.join(dir, STAGE_INT8_FILE);
  let ranges: Int8Result['ranges'] = 'session';
  if (!quantized) {
    // Ranges recorded by an earlier quantize stage describe other weights; calibrate afresh.
    // The state was saved already, so adding ranges here changes nothing on disk.
    ranges = 'calibrated';
    await observeActivationRanges(model, ctx.data.representative, { state });
  }
  let written;
  try {
    written = await writeTflite(model, file, { mode: 'int8' }, state);
  } catch (e) {
    return { file: null, ranges: null, size: null, compression: null, accuracy: null, latencyMs: null, unavailable: `int8 export failed: ${(e as Error).message.split('\n')[0]}`, verified: {} };
  }
  const verified = Object.fromEntries(written.report.weights.map((w) => [w.weightId, [...w.verified]]));
  const base = { file: STAGE_INT8_FILE, ranges, size: written.report.size, compression: written.report.compression, verified };
  try {
    const m = await measureTflite(file, ctx.data.test);
    return { ...base, accuracy: m.accuracy, latencyMs: m.latencyMs, unavailable: null };
  } catch (e) {
    if (!(e instanceof TfliteUnavailableError)) throw e;
    return { ...base, accuracy: null, latencyMs: null, unavailable: e.reason };
  }
}
