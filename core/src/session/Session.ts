import * as tf from '@tensorflow/tfjs';
import { Composer } from '../composer/Composer';
import { InvariantViolationError } from '../errors/InvariantViolationError';
import { SessionError } from '../errors/SessionError';
import { StateError } from '../errors/StateError';
import { ForwardHooks } from '../forward/ForwardHooks';
import { createSessionHooks, type ExportArtifact, type Logs, type ProjectPhase, type SessionHooks } from '../hooks/SessionHooks';
import { Stage } from '../hooks/Stage';
import type { JsonValue } from '../invariants/Invariant';
import type { Plugin } from '../plugin/Plugin';
import type { PluginContext } from '../plugin/PluginContext';
import type { OptimizationState } from '../state/OptimizationState';
import { resolveTargets, type ResolvedTarget, type ResolveTargetsArgs } from '../targeting/resolveTargets';
import { modelLayers, modelWeights } from '../weights/modelWeights';
import type { TargetWeight } from '../weights/TargetWeight';
import { calibrate, calibrationPlan } from './calibrate';
import { continuedState, inheritState } from './inheritState';
import { OptimizerPatch } from './OptimizerPatch';
import { ProjectionEngine } from './ProjectionEngine';
import { decodeSavedLatents, decodeSavedState, readSessionFiles, writeSessionFiles } from './sessionFiles';
import { SessionCallback } from './SessionCallback';

/**
 * When the session verifies active invariants on the projected weights.
 * @group Session
 */
export type CheckFrequency = 'epoch' | 'step' | 'never' | number;

/**
 * Options of {@link collab}.
 * @group Session
 */
export interface SessionOptions {
  /** Stage name, used in errors and recorded in the optimization state. Default `'stage'`. */
  readonly name?: string;
  /** Optimization state inherited from an earlier stage (its invariants are kept active). */
  readonly state?: OptimizationState;
  /** Inherited invariants to drop explicitly, e.g. `['sparsity']` to let a stage re-grow pruned weights. */
  readonly release?: readonly string[];
  /**
   * Invariants to derive from the weights where the state does not have them, as TFMOT does
   * between stages: `'sparsity'` (zeros become the mask), `'clusters'` (few distinct values).
   */
  readonly derive?: readonly string[];
  /** When to verify active invariants (always also at `finish()`). Default `'epoch'`; tests use `'step'`. */
  readonly checkEvery?: CheckFrequency;
  /** Receives warnings (unsupported layers skipped, ...). Default `console.warn`. */
  readonly onWarning?: (message: string) => void;
  /** Seed for plugins' random generators, so runs are reproducible. Default 0. */
  readonly seed?: number;
  /**
   * Whether this stage trains. `false` for calibration-only stages (post-training quantization):
   * weights cannot drift, so inherited invariants hold without plugins that keep them, and
   * training with the session is an error. Default true.
   */
  readonly train?: boolean;
  /** @internal What `Session.load` restores: position, latents and plugin states of a saved session. */
  readonly resume?: ResumeData;
}

/** @internal */
export interface ResumeData {
  readonly step: number;
  readonly epoch: number;
  readonly latents: ReadonlyMap<string, Float32Array>;
  readonly plugins: Readonly<Record<string, JsonValue>>;
}

/**
 * What `finish()` returns.
 * @group Session
 */
export interface FinishResult {
  /** The state to hand to the next stage (`collab(model, plugins, { state })`). */
  readonly state: OptimizationState;
  /** Files written by exporter plugins. */
  readonly artifacts: readonly ExportArtifact[];
}

type Status = 'created' | 'running' | 'finished';

const SELF = 'collabopt:session';

/**
 * One training stage of one model with a set of plugins (DESIGN.md §2). Owns the hooks, the plugin
 * order, the latent weights and the optimization state. Make one with {@link collab}.
 *
 * The user's model object stays the user's: the session only writes projected values into its
 * variables, installs forward hooks on layers that need them, and takes everything back in
 * {@link Session.finish}.
 * @group Session
 */
export class Session implements PluginContext {
  /** The user's model. */
  readonly model: tf.LayersModel;
  /** Frozen, typed tapable hooks (see `SessionHooks` for when each fires). */
  readonly hooks: SessionHooks;
  /** Plugins in composer order. */
  readonly plugins: readonly Plugin[];
  /** Stage name. */
  readonly name: string;
  /** Invariants active on which weights, with their data. Inherited records plus what plugins establish. */
  readonly state: OptimizationState;
  /** Every weight of the model, by id (`layer/weight`). */
  readonly modelWeights: ReadonlyMap<string, TargetWeight>;
  /** Seed for plugins' random generators. */
  readonly seed: number;
  // The position is written only by the loop drivers below; everyone else reads it.
  private readonly position = { step: 0, epoch: 0, stepsPerEpoch: null as number | null, calibrating: false };

  /** Whether this stage trains (see `SessionOptions.train`). */
  readonly trains: boolean;
  private readonly checkEvery: CheckFrequency;
  private readonly warnSink: (message: string) => void;
  private readonly hookedLayers = new Set<string>();
  private readonly projection: ProjectionEngine;
  private readonly optimizer = new OptimizerPatch(() => this.absorbStep());
  private readonly forward: ForwardHooks;
  private readonly resume: ResumeData | undefined;
  private status: Status = 'created';
  private inRun: 'fit' | 'custom' | null = null;
  private stepAbsorbed = false;
  private batchInEpoch = 0;

  /** @internal Use {@link collab}. */
  constructor(model: tf.LayersModel, plugins: readonly Plugin[], options: SessionOptions = {}) {
    assertUsableModel(model);
    this.model = model;
    this.name = options.name ?? 'stage';
    this.seed = options.seed ?? 0;
    this.checkEvery = options.checkEvery ?? 'epoch';
    if (!(this.checkEvery === 'epoch' || this.checkEvery === 'step' || this.checkEvery === 'never' ||
        (typeof this.checkEvery === 'number' && Number.isInteger(this.checkEvery) && this.checkEvery > 0))) {
      throw new SessionError(`checkEvery must be 'epoch', 'step', 'never' or a positive integer number of steps, got ${JSON.stringify(options.checkEvery)}`);
    }
    this.warnSink = options.onWarning ?? ((m) => console.warn(`collabopt: ${m}`));
    this.resume = options.resume;
    this.trains = options.train ?? true;
    this.modelWeights = modelWeights(model);
    this.forward = new ForwardHooks(this);
    this.hooks = createSessionHooks();

    // Which weights / layers plugins hook: recorded as hooks are created, so nothing is guessed.
    this.projection = new ProjectionEngine(this, this.hooks);
    for (const map of [this.hooks.layerInput, this.hooks.preActivation, this.hooks.layerCall, this.hooks.layerOutput] as const) {
      (map as { intercept(i: { factory: (key: unknown, hook: unknown) => unknown }): void }).intercept({
        factory: (key, hook) => {
          this.hookedLayers.add(String(key));
          return hook;
        },
      });
    }

    this.state = inheritState(options, this.modelWeights);
    try {
      this.tapOwnHooks();
      this.plugins = Object.freeze(Composer.order(plugins));
      for (const p of this.plugins) p.apply(this);
      this.checkHookedNames();
      Composer.verify({ plugins: this.plugins, chains: this.projection.chains(), state: this.state, weights: this.modelWeights, trains: this.trains });
      if (this.resume) {
        for (const p of this.plugins) {
          const saved = this.resume.plugins[p.name];
          if (saved !== undefined) {
            if (!p.loadState) throw new StateError(`saved session has state for plugin '${p.name}', which cannot load state`);
            p.loadState(saved);
          }
        }
        this.position.step = this.resume.step;
        this.position.epoch = this.resume.epoch;
      }
    } catch (e) {
      this.state.dispose();
      throw e;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // API for plugins (PluginContext)

  /** Global optimizer step; the batch being trained is step `step` (1-based, as TFMOT counts). */
  get step(): number {
    return this.position.step;
  }

  /** Epoch index (0-based) of the epoch in progress or next. */
  get epoch(): number {
    return this.position.epoch;
  }

  /** Steps per epoch when the training loop tells (fit: ⌈samples / batchSize⌉); null until known. */
  get stepsPerEpoch(): number | null {
    return this.position.stepsPerEpoch;
  }

  /** True while {@link Session.calibrate} runs forward passes (observers update, no training). */
  get calibrating(): boolean {
    return this.position.calibrating;
  }

  /**
   * Resolves a plugin's target selection against this model (see `resolveTargets`): default
   * supported weights, selectors, exclusions and per-layer rules; warnings go to the session.
   */
  targets<S extends object>(args: Omit<ResolveTargetsArgs<S>, 'weights' | 'warn'>): ResolvedTarget<S>[] {
    return resolveTargets({ ...args, weights: this.modelWeights, warn: (m) => this.warn(m) });
  }

  /** The weight with this id; the error lists near matches. */
  weight(id: string): TargetWeight {
    const w = this.modelWeights.get(id);
    if (!w) throw new SessionError(`the model has no weight '${id}'`);
    return w;
  }

  /** Weights some plugin projects (has `project[id]` taps). */
  projectedWeights(): TargetWeight[] {
    return this.projection.projectedWeights();
  }

  /**
   * Tells the session that a weight's projection changed (a new mask, new centroids). Nothing is
   * re-projected at the call: the weight is re-projected at `Stage.PROJECT` of the hook in
   * progress or the next one of `batchBegin`, `batchEnd` and `epochEnd`; marked during `finish`,
   * after the whole `finish` hook, before `export`. An optimizer step in between re-projects every
   * weight anyway.
   */
  markDirty(weightId: string): void {
    this.weight(weightId);
    this.projection.markDirty(weightId);
  }

  /** Emits a warning through `options.onWarning`. */
  warn(message: string): void {
    this.warnSink(message);
  }

  /** Whether the session has started (latents exist) and not finished. */
  get running(): boolean {
    return this.status === 'running';
  }

  /** Whether {@link Session.finish} has completed. */
  get finished(): boolean {
    return this.status === 'finished';
  }

  // ---------------------------------------------------------------------------------------------
  // Training-loop drivers

  /**
   * A `tf.Callback` for `model.fit()` / `model.fitDataset()`:
   * `await model.fit(xs, ys, { callbacks: [session.callback()] })`.
   */
  callback(): tf.Callback {
    this.assertNotFinished('callback()');
    return new SessionCallback(this);
  }

  /** Custom loops: call before each optimizer step (e.g. before `optimizer.minimize(...)`). */
  async beforeStep(): Promise<void> {
    this.assertNotFinished('beforeStep()');
    if (this.inRun === null) {
      this.attachOptimizer(this.model.optimizer);
      await this.trainBegin({}, {}, 'custom');
    }
    await this.batchBegin(this.batchInEpoch, {});
  }

  /** Custom loops: call after each optimizer step. Absorbs the step into the latents and re-projects. */
  async afterStep(logs: Logs = {}): Promise<void> {
    this.assertNotFinished('afterStep()');
    await this.batchEnd(this.batchInEpoch, logs);
  }

  /** Custom loops (optional): mark the start of an epoch. */
  async beginEpoch(logs: Logs = {}): Promise<void> {
    this.assertNotFinished('beginEpoch()');
    if (this.inRun === null) {
      this.attachOptimizer(this.model.optimizer);
      await this.trainBegin({}, {}, 'custom');
    }
    await this.epochBegin(this.epoch, logs);
  }

  /** Custom loops (optional): mark the end of an epoch; invariants are checked here by default. */
  async endEpoch(logs: Logs = {}): Promise<void> {
    this.assertNotFinished('endEpoch()');
    await this.epochEnd(this.epoch, logs);
  }

  /** @internal Called by the callback and custom-loop drivers. */
  async trainBegin(params: Record<string, unknown>, logs: Logs, kind: 'fit' | 'custom'): Promise<void> {
    if (!this.trains) {
      throw new SessionError(`session '${this.name}' was created with { train: false } (calibration only); it cannot drive training`);
    }
    this.start();
    this.inRun = kind;
    const steps = params['steps'];
    const samples = params['samples'];
    const batchSize = params['batchSize'];
    if (typeof steps === 'number' && steps > 0) this.position.stepsPerEpoch = steps;
    else if (typeof samples === 'number' && typeof batchSize === 'number' && batchSize > 0) {
      this.position.stepsPerEpoch = Math.ceil(samples / batchSize);
    }
    await this.hooks.trainBegin.promise({ session: this, params, logs });
  }

  /** @internal */
  async epochBegin(epoch: number, logs: Logs): Promise<void> {
    this.position.epoch = epoch;
    this.batchInEpoch = 0;
    await this.hooks.epochBegin.promise({ session: this, epoch, logs });
  }

  /** @internal */
  async batchBegin(batch: number, logs: Logs): Promise<void> {
    this.position.step += 1;
    this.batchInEpoch = batch;
    this.stepAbsorbed = false;
    await this.hooks.batchBegin.promise({ session: this, step: this.step, batch, epoch: this.epoch, logs });
  }

  /** @internal */
  async batchEnd(batch: number, logs: Logs): Promise<void> {
    // Custom loops and unpatched optimizers: absorb the step now (same arithmetic, later moment).
    if (!this.stepAbsorbed) this.absorbStep();
    this.batchInEpoch = batch + 1;
    await this.hooks.batchEnd.promise({ session: this, step: this.step, batch, epoch: this.epoch, logs });
  }

  /** @internal */
  async epochEnd(epoch: number, logs: Logs): Promise<void> {
    if (this.stepsPerEpoch === null && this.batchInEpoch > 0) this.position.stepsPerEpoch = this.batchInEpoch;
    await this.hooks.epochEnd.promise({ session: this, epoch, logs });
    this.position.epoch = epoch + 1;
  }

  /** @internal */
  async trainEnd(logs: Logs): Promise<void> {
    const params = {};
    this.inRun = null;
    this.detachOptimizer();
    await this.hooks.trainEnd.promise({ session: this, params, logs });
  }

  /**
   * Runs forward passes over representative data with {@link Session.calibrating} set, so
   * observers (activation ranges) record what the model sees — no training, no weight change.
   * The post-training quantization path. `data` is a tensor (or array of tensors, for several
   * inputs) cut into batches, or a `tf.data.Dataset` of inputs or of `{ xs, ys }` elements.
   */
  async calibrate(
    data: tf.Tensor | tf.Tensor[] | tf.data.Dataset<tf.TensorContainer>,
    options: { readonly steps?: number; readonly batchSize?: number } = {},
  ): Promise<void> {
    this.assertNotFinished('calibrate()');
    const plan = calibrationPlan(options);
    this.start();
    this.position.calibrating = true;
    try {
      await calibrate(this.model, data, plan);
    } finally {
      this.position.calibrating = false;
    }
  }

  /**
   * Finishes the stage: writes the final projection, verifies every active invariant, lets
   * plugins freeze their state (`finish`) and exporters write (`export`), removes forward hooks and
   * releases training-only tensors. The model keeps its projected weights.
   */
  async finish(): Promise<FinishResult> {
    this.assertNotFinished('finish()');
    this.start();
    const artifacts: ExportArtifact[] = [];
    try {
      if (this.inRun === 'custom') await this.trainEnd({});
      this.detachOptimizer();
      this.projectAll('finish');
      this.verifyInvariants('finish');
      await this.hooks.finish.promise({ session: this });
      this.projectDirty('finish');
      this.verifyInvariants('export');
      await this.hooks.export.promise({ session: this, artifacts });
    } finally {
      // Finished either way: a failed check or export leaves the model with its last projected
      // weights and without hooks, and a second finish() cannot re-run the plugins' finish taps.
      this.detachOptimizer();
      this.forward.removeAll();
      this.releaseLatents();
      this.status = 'finished';
    }
    if (this.state.stages[this.state.stages.length - 1] !== this.name) this.state.stages.push(this.name);
    return { state: this.state, artifacts };
  }

  /** Releases everything the session holds, including its state. The model is left as it is. */
  dispose(): void {
    this.detachOptimizer();
    this.forward.removeAll();
    for (const p of this.plugins) p.dispose?.();
    this.releaseLatents();
    this.state.dispose();
    this.status = 'finished';
  }

  // ---------------------------------------------------------------------------------------------
  // Save / load

  /**
   * Saves the model (tfjs format, with optimizer state when compiled) and the session — state,
   * step, plugin states and latents — into `dir`, atomically. A finished session saves what a
   * later stage inherits; a running one can be resumed with {@link Session.load}.
   */
  async save(dir: string): Promise<void> {
    const latents = this.status === 'running' ? this.projectedWeights().filter((w) => w.latent) : [];
    const pluginStates: Record<string, JsonValue> = {};
    for (const p of this.plugins) if (p.saveState) pluginStates[p.name] = p.saveState();
    await writeSessionFiles(dir, this.model, {
      stage: this.name,
      step: this.step,
      epoch: this.epoch,
      finished: this.status === 'finished',
      plugins: this.plugins.map((p) => p.name),
      pluginStates,
      state: this.state.toJSON(),
    }, latents);
  }

  /**
   * Loads a saved model and its optimization state. With `plugins`, returns a session that
   * continues where the saved one stopped (same step, latents, plugin states); the plugins must be
   * the saved session's. For a *new* stage on a saved model use {@link loadModel} instead.
   */
  static async load(dir: string, plugins: readonly Plugin[], options: Omit<SessionOptions, 'state' | 'resume'> = {}): Promise<Session> {
    const { model, saved, files } = await readSessionFiles(dir);
    const names = plugins.map((p) => p.name).sort();
    if (JSON.stringify(names) !== JSON.stringify([...saved.plugins].sort())) {
      throw new StateError(
        `${dir} was saved by a session with plugins [${saved.plugins.join(', ')}], not [${names.join(', ')}]; ` +
          `to start a new stage on this model use loadModel(dir) and collab(model, plugins, { state })`,
      );
    }
    const latents = decodeSavedLatents(saved, files, dir);
    // Records keep their original establisher: this is the same stage continuing.
    const stageState = continuedState(decodeSavedState(saved, model, dir));
    return new Session(model, plugins, {
      ...options,
      name: options.name ?? saved.stage,
      resume: { step: saved.step, epoch: saved.epoch, latents, plugins: saved.pluginStates },
      state: stageState,
      release: undefined,
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Internals

  /** Latents from the current weights (or the resumed ones), first projection, forward hooks. */
  private start(): void {
    if (this.status === 'running') return;
    this.assertNotFinished('start');
    for (const w of this.projectedWeights()) {
      const saved = this.resume?.latents.get(w.id);
      if (saved && saved.length !== w.size) throw new StateError(`saved latent of '${w.id}' has ${saved.length} values, expected ${w.size}`);
      const bad = tf.tidy(() => tf.any(tf.logicalNot(tf.isFinite(w.value()))).dataSync()[0]);
      if (bad) throw new SessionError(`weight '${w.id}' contains NaN or Infinity; collabopt will not optimize a broken model`);
      w.latent = tf.variable(saved ? tf.tensor(saved, [...w.shape]) : w.value(), false);
    }
    for (const name of this.hookedLayers) {
      this.forward.install(this.layerByName(name)!, {
        input: this.hooks.layerInput.get(name),
        preActivation: this.hooks.preActivation.get(name),
        call: this.hooks.layerCall.get(name),
        output: this.hooks.layerOutput.get(name),
      });
    }
    this.status = 'running';
    this.projectAll('start');
  }

  /** The session's own taps: re-projection at Stage.PROJECT and invariant checks at Stage.OBSERVE. */
  private tapOwnHooks(): void {
    const reproject = { name: SELF, stage: Stage.PROJECT };
    const observe = { name: SELF, stage: Stage.OBSERVE };
    this.hooks.batchBegin.tapPromise(reproject, async () => this.projectDirty('batchBegin'));
    this.hooks.batchEnd.tapPromise(reproject, async () => this.projectDirty('batchEnd'));
    this.hooks.epochEnd.tapPromise(reproject, async () => this.projectDirty('epochEnd'));
    this.hooks.batchEnd.tapPromise(observe, async ({ step }) => {
      const every = this.checkEvery;
      if (every === 'step' || (typeof every === 'number' && step % every === 0)) this.verifyInvariants(`step ${step}`);
    });
    this.hooks.epochEnd.tapPromise(observe, async () => {
      if (this.checkEvery === 'epoch') this.verifyInvariants(`end of epoch ${this.epoch + 1}`);
    });
  }

  /** Every layer of the model in topological order, nested models flattened. */
  modelLayers(): tf.layers.Layer[] {
    return modelLayers(this.model);
  }

  /** A layer of the model (nested models included) by name. */
  layerByName(name: string): tf.layers.Layer | undefined {
    return modelLayers(this.model).find((l) => l.name === name);
  }

  private checkHookedNames(): void {
    for (const id of this.projection.projectedIds) {
      if (!this.modelWeights.has(id)) {
        const who = (this.hooks.project.get(id)?.taps ?? []).map((t) => t.name).join(', ');
        throw new SessionError(`plugin(s) ${who} tapped project for weight '${id}', which the model does not have`);
      }
    }
    for (const name of this.hookedLayers) {
      if (!this.layerByName(name)) {
        const taps = [this.hooks.layerInput, this.hooks.preActivation, this.hooks.layerCall, this.hooks.layerOutput].flatMap(
          (map) => (map as { get(k: string): { taps: { name: string }[] } | undefined }).get(name)?.taps ?? [],
        );
        throw new SessionError(`plugin(s) ${[...new Set(taps.map((t) => t.name))].join(', ')} tapped a forward hook of layer '${name}', which the model does not have`);
      }
    }
  }

  /**
   * Absorbs the optimizer step into the latents and re-projects (see `ProjectionEngine.absorbStep`).
   * @internal Called from the patched optimizer, or from `batchEnd` when no optimizer was patched.
   */
  absorbStep(): void {
    if (this.status !== 'running') return;
    this.stepAbsorbed = true;
    this.projection.absorbStep(this.step);
  }

  private projectAll(phase: ProjectPhase): void {
    this.projection.projectAll(phase);
  }

  private projectDirty(phase: ProjectPhase): void {
    if (this.status !== 'running') return;
    this.projection.projectDirty(phase);
  }

  /**
   * Checks every active invariant on the model's current (projected) weights, and that no
   * projected weight became NaN/Inf.
   * @throws InvariantViolationError naming the weight, the invariant and the step.
   */
  verifyInvariants(where: string): void {
    for (const [id, rec] of this.state.entries()) {
      const w = this.modelWeights.get(id);
      if (!w) continue;
      const problem = rec.invariant.check(w.value(), rec.data);
      if (problem !== null) throw new InvariantViolationError(id, rec.invariant.name, this.step, `${problem} (checked at ${where})`, rec.establishedBy);
    }
    for (const w of this.projectedWeights()) {
      const bad = tf.tidy(() => tf.any(tf.logicalNot(tf.isFinite(w.value()))).dataSync()[0]);
      if (bad) throw new SessionError(`weight '${w.id}' became NaN or Infinity at step ${this.step} (checked at ${where}); lower the learning rate`);
    }
  }

  /**
   * Patches the optimizer so steps are absorbed inside it (see `OptimizerPatch`).
   * @internal
   */
  attachOptimizer(optimizer: tf.Optimizer | undefined): void {
    this.optimizer.attach(optimizer);
  }

  /** @internal */
  detachOptimizer(): void {
    this.optimizer.detach();
  }

  private releaseLatents(): void {
    for (const w of this.modelWeights.values()) {
      w.latent?.dispose();
      w.latent = null;
      w.lastProjected?.dispose();
      w.lastProjected = null;
    }
  }

  private assertNotFinished(what: string): void {
    if (this.status === 'finished') throw new SessionError(`${what}: session '${this.name}' has finished; start a new stage with collab()`);
  }
}

function assertUsableModel(model: tf.LayersModel): void {
  if (!model || typeof (model as { predict?: unknown }).predict !== 'function' || !Array.isArray(model.layers)) {
    throw new SessionError('collab(model, ...): model must be a tf.LayersModel (tf.sequential() or tf.model())');
  }
  // Porting note: a Sequential used as a layer (the transfer-learning pattern
  // `model.add(base); model.add(head)`) keeps `built` false even after predict(); its own layers are
  // what must be built, so nested models are judged by their layers.
  if (!modelLayers(model).every((l) => l.built)) {
    throw new SessionError(
      `collab(model, ...): model '${model.name}' is not built; give its first layer an inputShape (or call model.build()) before optimizing it`,
    );
  }
}
