/**
 * The hooks of a {@link Session}, declared in one place with exactly when each fires.
 *
 * A session drives a training loop it does not own (`model.fit`, `model.fitDataset`, or the
 * user's own loop). This is that loop, annotated with where every hook fires:
 *
 * ```text
 * collab(model, plugins)        composer orders plugins; each plugin.apply(ctx) taps hooks
 * session start                 latents L := current weights; model weights W := P(L)   (lazily, on first use)
 * trainBegin                    once per fit()/fitDataset() call (and once for a custom loop)
 * for each epoch:
 *   epochBegin
 *   for each batch:
 *     batchBegin                step := step + 1 (the first batch is step 1); schedules advance;
 *                               weights whose projection changed are re-projected at Stage.PROJECT
 *     forward pass              for each hooked layer: layerInput[layer] → layerCall[layer]: a tap's
 *                               replacement output, or else the layer's own (linear part →
 *                               preActivation[layer] → activation) → layerOutput[layer]
 *     backward pass, optimizer  the optimizer moves W to W'
 *     update        (sync)      right after the optimizer step: L += W' − W (straight-through),
 *                               weight.delta = W' − W is readable; then W := P(L) for every weight
 *                               via project[weight] — so validation inside fit() sees projected weights
 *     (last batch of an epoch: fit() evaluates validation data here; the model holds P(L))
 *     batchEnd                  bookkeeping; state changes re-projected at Stage.PROJECT;
 *                               invariant checks at Stage.OBSERVE when checking every step
 *   (fitDataset() evaluates validation data here; the model holds P(L))
 *   epochEnd                    weights marked dirty re-projected at Stage.PROJECT (phase 'epochEnd');
 *                               invariant checks (default frequency); logs such as sparsity/<layer>
 * trainEnd
 * session.finish()              final W := P(L), invariants checked;
 *   finish                      plugins freeze their state (ranges → state);
 *   export                      invariants checked again; exporter plugins write artifacts (forward
 *                               hooks are still installed: predict() is the emulated model);
 *                               then forward hooks removed and latents released
 * ```
 *
 * Every hook is a tapable hook; tap with `{ name: plugin.name, stage: Stage.X }`. Plugins see them
 * tap-only (`PluginContext.hooks`): only the session fires hooks.
 */
import type * as tf from '@tensorflow/tfjs';
import { AsyncSeriesHook, HookMap, SyncBailHook, SyncHook, SyncWaterfallHook } from 'tapable';
import type { PluginContext } from '../plugin/PluginContext';
import type { TargetWeight } from '../weights/TargetWeight';

/**
 * Logs as tfjs passes them to callbacks: numbers, or scalars that are disposed after the callback.
 * @group Hooks
 */
export type Logs = Record<string, number | tf.Scalar>;

/**
 * Argument of `trainBegin` / `trainEnd`.
 * @group Hooks
 */
export interface TrainContext {
  /** The session whose hook fires. */
  readonly session: PluginContext;
  /** Epochs, steps per epoch, batch size... as known to the loop (tfjs `params`); may be partial. */
  readonly params: Readonly<Record<string, unknown>>;
  /** The logs tfjs passes to `onTrainBegin` / `onTrainEnd` (empty for custom loops). */
  readonly logs: Logs;
}

/**
 * Argument of `epochBegin` / `epochEnd`. Plugins may add entries to `logs` at `epochEnd`.
 * @group Hooks
 */
export interface EpochContext {
  /** The session whose hook fires. */
  readonly session: PluginContext;
  /** 0-based epoch index, as tfjs counts. */
  readonly epoch: number;
  /** The epoch's logs; entries added at `epochEnd` appear in `fit()`'s History. */
  readonly logs: Logs;
}

/**
 * Argument of `batchBegin` / `batchEnd`.
 * @group Hooks
 */
export interface BatchContext {
  /** The session whose hook fires. */
  readonly session: PluginContext;
  /** Global 1-based optimizer step of this batch (TFMOT's pruning step). */
  readonly step: number;
  /** 0-based batch index within the epoch. */
  readonly batch: number;
  /** 0-based epoch index. */
  readonly epoch: number;
  /** The batch's logs as tfjs passes them (loss, metrics at `batchEnd`). */
  readonly logs: Logs;
}

/**
 * Argument of the synchronous `update` hook (right after an optimizer step).
 * @group Hooks
 */
export interface UpdateContext {
  /** The session whose hook fires. */
  readonly session: PluginContext;
  /** The global 1-based step whose optimizer update was just applied. */
  readonly step: number;
}

/**
 * Why a projection runs.
 * @group Hooks
 */
export type ProjectPhase = 'start' | 'batchBegin' | 'update' | 'batchEnd' | 'epochEnd' | 'finish';

/**
 * Second argument of a `project[weight]` tap.
 * @group Hooks
 */
export interface ProjectContext {
  /** The session that projects. */
  readonly session: PluginContext;
  /** The weight being projected. */
  readonly weight: TargetWeight;
  /** The current global step (0 before the first batch). */
  readonly step: number;
  /** Why the projection runs (see {@link ProjectPhase}). */
  readonly phase: ProjectPhase;
  /**
   * The latent (full-precision) value. A projection that also constrains the latent, as pruning
   * re-zeroes pruned latents, calls {@link ProjectContext.setLatent}.
   */
  readonly latent: tf.Tensor;
  /** Replace the latent after this projection chain completes (the tensor is copied; you keep ownership). */
  setLatent(value: tf.Tensor): void;
}

/**
 * Second argument of `layerInput`, `preActivation` and `layerOutput` taps.
 * @group Hooks
 */
export interface ForwardContext {
  /** The session whose forward hooks run. */
  readonly session: PluginContext;
  /** The layer whose forward pass is hooked. */
  readonly layer: tf.layers.Layer;
  /** True inside `fit`/`fitDataset`/`trainOnBatch` forward passes. */
  readonly training: boolean;
  /** True while `session.calibrate()` runs forward passes (observers update; training is false). */
  readonly calibrating: boolean;
  /** The layer's inputs in this call (after `layerInput` taps). */
  readonly inputs: tf.Tensor | tf.Tensor[];
}

/**
 * Argument of `finish`.
 * @group Hooks
 */
export interface FinishContext {
  /** The session that finishes. */
  readonly session: PluginContext;
}

/**
 * One file (or set of files) an exporter produced.
 * @group Hooks
 */
export interface ExportArtifact {
  /** Exporter name, e.g. `'tflite'`. */
  readonly exporter: string;
  /** Path of the main file written (or a URL-like id when not on a file system). */
  readonly path: string;
  /** Any numbers the exporter reports (sizes, per-layer stats). */
  readonly report?: Readonly<Record<string, unknown>>;
}

/**
 * Argument of `export`: exporters push what they wrote into `artifacts`.
 * @group Hooks
 */
export interface ExportContext {
  /** The session that finishes. */
  readonly session: PluginContext;
  /** Exporters push what they wrote here; `finish()` returns the list. */
  readonly artifacts: ExportArtifact[];
}

/**
 * The frozen hooks object of a session.
 * @group Hooks
 */
export interface SessionHooks {
  /** Once per `fit()`/`fitDataset()` call (tfjs `onTrainBegin`), or at the first `beforeStep()` of a custom loop. */
  readonly trainBegin: AsyncSeriesHook<[TrainContext]>;
  /** At the start of every epoch (tfjs `onEpochBegin`; `session.beginEpoch()` in a custom loop). */
  readonly epochBegin: AsyncSeriesHook<[EpochContext]>;
  /** Before every batch's forward pass (tfjs `onBatchBegin`; `session.beforeStep()`), after the step counter advanced. */
  readonly batchBegin: AsyncSeriesHook<[BatchContext]>;
  /**
   * Synchronously right after the optimizer applied a step, after every latent absorbed it
   * (`weight.delta` holds W' − W) and before the weights are re-projected. Taps adjust projection
   * state from the step (e.g. centroid fine-tuning). Must not be async: it runs inside tfjs's step.
   */
  readonly update: SyncHook<[UpdateContext]>;
  /**
   * Per weight id (`layer/kernel`): the projection chain `P`. A waterfall: each tap receives the
   * value so far (first the latent) and returns the next value (or `undefined` to keep it).
   * Runs inside `tf.tidy`; taps return new tensors and must not dispose their input.
   * Fires at session start, after every optimizer step, at Stage.PROJECT of `batchBegin`,
   * `batchEnd` and `epochEnd` for weights a plugin marked dirty, and at finish.
   */
  readonly project: HookMap<SyncWaterfallHook<[tf.Tensor, ProjectContext], tf.Tensor | undefined>>;
  /**
   * Per layer name: transforms the layer's *inputs* before its computation, inside every forward
   * pass (fit, predict, evaluate, calibrate) — e.g. fake-quantizing a model input where it is
   * consumed. Installed with the other forward hooks (see `layerOutput`).
   */
  readonly layerInput: HookMap<SyncWaterfallHook<[tf.Tensor | tf.Tensor[], ForwardContext]>>;
  /**
   * Per layer name, for layers with a fused `activation` (Dense, Conv1D/2D, DepthwiseConv2D,
   * SeparableConv2D, ...): transforms the value *between* the layer's linear part and its
   * activation — e.g. quantizing logits before a fused softmax. Installed with the other forward hooks.
   */
  readonly preActivation: HookMap<SyncWaterfallHook<[tf.Tensor, ForwardContext]>>;
  /**
   * Per layer name: replaces the layer's own computation, inside every forward pass (fit, predict,
   * evaluate, calibrate). Fires once per call of the layer, after `layerInput` (it receives the
   * routed inputs) and before `layerOutput` (which receives what it returns). A bail hook: taps
   * run in stage order and the first that returns a tensor supplies the call's output — the
   * layer's `call`, its activation and its `preActivation` taps then do not run, so a replacement
   * that needs them computes them itself; a tap that returns `undefined` passes. When every tap
   * passes, the layer's own `call` runs. For a computation tfjs does not expose in parts, e.g.
   * rounding the tensor between a SeparableConv2D's depthwise and pointwise halves, without
   * running the layer twice. Read the layer's variables (`layer.weights[i].read()`) so gradients
   * reach them. Installed with the other forward hooks (see `layerOutput`).
   */
  readonly layerCall: HookMap<SyncBailHook<[tf.Tensor | tf.Tensor[], ForwardContext], tf.Tensor | tf.Tensor[] | undefined>>;
  /**
   * Per layer name: transforms the layer's output inside every forward pass (fit, predict,
   * evaluate, calibrate). Installed on the layer instance at session start for layers that have
   * taps (in any of `layerInput`, `preActivation`, `layerCall`, `layerOutput`); removed without trace by
   * `finish()`. Use `tf.customGrad` for straight-through gradients.
   */
  readonly layerOutput: HookMap<SyncWaterfallHook<[tf.Tensor | tf.Tensor[], ForwardContext]>>;
  /** After every batch (tfjs `onBatchEnd`; `session.afterStep()`), after the step's projection. */
  readonly batchEnd: AsyncSeriesHook<[BatchContext]>;
  /** At the end of every epoch, after validation (tfjs `onEpochEnd`; `session.endEpoch()`). Invariants are checked here by default. */
  readonly epochEnd: AsyncSeriesHook<[EpochContext]>;
  /** Once at the end of each `fit()`/`fitDataset()` call. */
  readonly trainEnd: AsyncSeriesHook<[TrainContext]>;
  /** In `session.finish()`, after the final projection and invariant check, before `export`. Plugins freeze state here. */
  readonly finish: AsyncSeriesHook<[FinishContext]>;
  /** In `session.finish()` after `finish`: exporter plugins write artifacts (invariants are verified just before). */
  readonly export: AsyncSeriesHook<[ExportContext]>;
}

/**
 * Makes the frozen hooks object for one session.
 * @group Hooks
 */
export function createSessionHooks(): SessionHooks {
  return Object.freeze({
    trainBegin: new AsyncSeriesHook<[TrainContext]>(['context'], 'trainBegin'),
    epochBegin: new AsyncSeriesHook<[EpochContext]>(['context'], 'epochBegin'),
    batchBegin: new AsyncSeriesHook<[BatchContext]>(['context'], 'batchBegin'),
    update: new SyncHook<[UpdateContext]>(['context'], 'update'),
    project: new HookMap(
      (key: string) => new SyncWaterfallHook<[tf.Tensor, ProjectContext], tf.Tensor | undefined>(['value', 'context'], `project:${key}`),
      'project',
    ),
    layerInput: new HookMap(
      (key: string) => new SyncWaterfallHook<[tf.Tensor | tf.Tensor[], ForwardContext]>(['inputs', 'context'], `layerInput:${key}`),
      'layerInput',
    ),
    preActivation: new HookMap(
      (key: string) => new SyncWaterfallHook<[tf.Tensor, ForwardContext]>(['value', 'context'], `preActivation:${key}`),
      'preActivation',
    ),
    layerCall: new HookMap(
      (key: string) => new SyncBailHook<[tf.Tensor | tf.Tensor[], ForwardContext], tf.Tensor | tf.Tensor[] | undefined>(['inputs', 'context'], `layerCall:${key}`),
      'layerCall',
    ),
    layerOutput: new HookMap(
      (key: string) => new SyncWaterfallHook<[tf.Tensor | tf.Tensor[], ForwardContext]>(['output', 'context'], `layerOutput:${key}`),
      'layerOutput',
    ),
    batchEnd: new AsyncSeriesHook<[BatchContext]>(['context'], 'batchEnd'),
    epochEnd: new AsyncSeriesHook<[EpochContext]>(['context'], 'epochEnd'),
    trainEnd: new AsyncSeriesHook<[TrainContext]>(['context'], 'trainEnd'),
    finish: new AsyncSeriesHook<[FinishContext]>(['context'], 'finish'),
    export: new AsyncSeriesHook<[ExportContext]>(['context'], 'export'),
  });
}
