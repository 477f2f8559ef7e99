import * as tf from '@tensorflow/tfjs';
import { Composer } from '../composer/Composer';
import { InvariantViolationError } from '../errors/InvariantViolationError';
import { SessionError } from '../errors/SessionError';
import { StateError } from '../errors/StateError';
import { ForwardHooks } from '../forward/ForwardHooks';
import { createSessionHooks, type ExportArtifact, type Logs, type ProjectPhase, type SessionHooks } from '../hooks/SessionHooks';
import { Stage } from '../hooks/Stage';
import type { JsonValue } from '../invariants/Invariant';
import { getInvariant } from '../invariants/InvariantRegistry';
import { getSessionStore } from '../io/SessionStore';
import { modelFromFiles, modelToFiles } from '../io/modelArtifacts';
import type { Plugin } from '../plugin/Plugin';
import type { PluginContext } from '../plugin/PluginContext';
import { OptimizationState } from '../state/OptimizationState';
import { resolveTargets, type ResolvedTarget, type ResolveTargetsArgs } from '../targeting/resolveTargets';
import { modelLayers, modelWeights } from '../weights/modelWeights';
import type { TargetWeight } from '../weights/TargetWeight';
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

/** Files of a saved session, next to the tfjs model files. */
const STATE_JSON = 'collabopt-state.json';
const LATENTS_BIN = 'collabopt-latents.bin';

/** Serialised session (the `collabopt-state.json` file). */
interface SavedSession {
  readonly format: 'collabopt-session';
  readonly version: 1;
  readonly stage: string;
  readonly step: number;
  readonly epoch: number;
  readonly finished: boolean;
  readonly plugins: string[];
  readonly pluginStates: Record<string, JsonValue>;
  readonly state: ReturnType<OptimizationState['toJSON']>;
  /** Latent values for resuming, in LATENTS_BIN (float32, in this order). */
  readonly latents: { id: string; size: number }[];
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
  private position = { step: 0, epoch: 0, stepsPerEpoch: null as number | null, calibrating: false };

  /** Whether this stage trains (see `SessionOptions.train`). */
  readonly trains: boolean;
  private readonly checkEvery: CheckFrequency;
  private readonly warnSink: (message: string) => void;
  private readonly projectedIds = new Set<string>();
  private readonly hookedLayers = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly forward: ForwardHooks;
  private readonly resume: ResumeData | undefined;
  private status: Status = 'created';
  private inRun: 'fit' | 'custom' | null = null;
  private stepAbsorbed = false;
  private batchInEpoch = 0;
  private optimizerPatch: { optimizer: tf.Optimizer; restore: () => void } | null = null;

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
    this.hooks.project.intercept({
      factory: (key, hook) => {
        this.projectedIds.add(String(key));
        return hook;
      },
    });
    for (const map of [this.hooks.layerInput, this.hooks.preActivation, this.hooks.layerOutput] as const) {
      (map as { intercept(i: { factory: (key: unknown, hook: unknown) => unknown }): void }).intercept({
        factory: (key, hook) => {
          this.hookedLayers.add(String(key));
          return hook;
        },
      });
    }

    this.state = this.inheritState(options);
    try {
      this.tapOwnHooks();
      this.plugins = Object.freeze(Composer.order(plugins));
      for (const p of this.plugins) p.apply(this);
      this.checkHookedNames();
      Composer.verify({ plugins: this.plugins, chains: this.projectionChains(), state: this.state, weights: this.modelWeights, trains: this.trains });
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
    return [...this.projectedIds].map((id) => this.weight(id));
  }

  /**
   * Tells the session that a weight's projection changed (a new mask, new centroids). Nothing is
   * re-projected at the call: the weight is re-projected at `Stage.PROJECT` of the hook in
   * progress or the next one of `batchBegin`, `batchEnd`, `epochEnd` and `finish`; an optimizer
   * step in between re-projects every weight anyway.
   */
  markDirty(weightId: string): void {
    this.weight(weightId);
    this.dirty.add(weightId);
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
    const batchSize = options.batchSize ?? 32;
    const steps = options.steps ?? Infinity;
    if (!(Number.isInteger(batchSize) && batchSize > 0) || !(steps > 0)) {
      throw new SessionError(`calibrate(): batchSize must be a positive integer and steps positive, got ${batchSize} and ${steps}`);
    }
    this.start();
    this.position.calibrating = true;
    try {
      if (data instanceof tf.Tensor || Array.isArray(data)) {
        const inputs = Array.isArray(data) ? data : [data];
        const n = inputs[0].shape[0];
        for (let start = 0, step = 0; start < n && step < steps; start += batchSize, step++) {
          const size = Math.min(batchSize, n - start);
          tf.tidy(() => {
            const batch = inputs.map((x) => x.slice([start, ...x.shape.slice(1).map(() => 0)], [size, ...x.shape.slice(1).map(() => -1)]));
            this.model.predict(batch.length === 1 ? batch[0] : batch);
          });
        }
      } else {
        const iterator = await data.iterator();
        for (let step = 0; step < steps; step++) {
          const { value, done } = await iterator.next();
          if (done) break;
          const xs = (value as { xs?: tf.TensorContainer }).xs ?? value;
          tf.tidy(() => {
            this.model.predict(xs as tf.Tensor | tf.Tensor[]);
          });
          tf.dispose(value as tf.TensorContainer);
        }
      }
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
    const files = await modelToFiles(this.model);
    const latents = this.status === 'running' ? this.projectedWeights().filter((w) => w.latent) : [];
    const pluginStates: Record<string, JsonValue> = {};
    for (const p of this.plugins) if (p.saveState) pluginStates[p.name] = p.saveState();
    const saved: SavedSession = {
      format: 'collabopt-session',
      version: 1,
      stage: this.name,
      step: this.step,
      epoch: this.epoch,
      finished: this.status === 'finished',
      plugins: this.plugins.map((p) => p.name),
      pluginStates,
      state: this.state.toJSON(),
      latents: latents.map((w) => ({ id: w.id, size: w.size })),
    };
    files.set(STATE_JSON, new TextEncoder().encode(JSON.stringify(saved)));
    if (latents.length > 0) {
      const total = latents.reduce((n, w) => n + w.size, 0);
      const buf = new Float32Array(total);
      let o = 0;
      for (const w of latents) {
        buf.set(w.latent!.dataSync() as Float32Array, o);
        o += w.size;
      }
      files.set(LATENTS_BIN, new Uint8Array(buf.buffer));
    }
    await getSessionStore().write(dir, files);
  }

  /**
   * Loads a saved model and its optimization state. With `plugins`, returns a session that
   * continues where the saved one stopped (same step, latents, plugin states); the plugins must be
   * the saved session's. For a *new* stage on a saved model use {@link loadModel} instead.
   */
  static async load(dir: string, plugins: readonly Plugin[], options: Omit<SessionOptions, 'state' | 'resume'> = {}): Promise<Session> {
    const { model, saved, files } = await readSaved(dir);
    const names = plugins.map((p) => p.name).sort();
    if (JSON.stringify(names) !== JSON.stringify([...saved.plugins].sort())) {
      throw new StateError(
        `${dir} was saved by a session with plugins [${saved.plugins.join(', ')}], not [${names.join(', ')}]; ` +
          `to start a new stage on this model use loadModel(dir) and collab(model, plugins, { state })`,
      );
    }
    const state = decodeState(saved, model, dir);
    const latents = new Map<string, Float32Array>();
    if (saved.latents.length > 0) {
      const bytes = files.get(LATENTS_BIN);
      const total = saved.latents.reduce((n, l) => n + l.size, 0);
      if (!bytes || bytes.byteLength !== total * 4) {
        throw new StateError(`${dir}/${LATENTS_BIN} is missing or has ${bytes?.byteLength ?? 0} bytes, expected ${total * 4}`);
      }
      const all = new Float32Array(bytes.slice().buffer);
      let o = 0;
      for (const l of saved.latents) {
        latents.set(l.id, all.subarray(o, o + l.size));
        o += l.size;
      }
    }
    const stageState = new OptimizationState();
    stageState.stages.push(...state.stages);
    // Records keep their original establisher: this is the same stage continuing.
    for (const [id, rec] of state.entries()) stageState.establish(id, rec.invariant, rec.data, rec.establishedBy);
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
        output: this.hooks.layerOutput.get(name),
      });
    }
    this.status = 'running';
    this.projectAll('start');
  }

  private inheritState(options: SessionOptions): OptimizationState {
    const shapes = new Map([...this.modelWeights].map(([id, w]) => [id, w.shape]));
    let state: OptimizationState;
    if (options.resume) state = options.state ?? new OptimizationState();
    else if (options.state) {
      for (const id of options.state.weightIds()) {
        if (!shapes.has(id)) throw new StateError(`inherited state has invariants for weight '${id}', which this model does not have`);
      }
      state = options.state.clone(options.state.stages[options.state.stages.length - 1] ?? 'previous');
    } else state = new OptimizationState();
    for (const x of options.release ?? []) {
      getInvariant(x);
      state.release(x);
    }
    for (const x of options.derive ?? []) {
      const inv = getInvariant(x);
      if (!inv.derive) throw new SessionError(`invariant '${x}' cannot be derived from weights`);
      for (const w of this.modelWeights.values()) {
        if (state.has(w.id, x) || !/kernel|embeddings/.test(w.weightName)) continue;
        const data = inv.derive(w.value());
        if (data !== null) state.establish(w.id, inv, data, `stage 'derived from weights'`);
      }
    }
    return state;
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

  private projectionChains(): Map<string, string[]> {
    const chains = new Map<string, string[]>();
    for (const id of this.projectedIds) chains.set(id, (this.hooks.project.get(id)?.taps ?? []).map((t) => t.name));
    return chains;
  }

  private checkHookedNames(): void {
    for (const id of this.projectedIds) {
      if (!this.modelWeights.has(id)) {
        const who = (this.hooks.project.get(id)?.taps ?? []).map((t) => t.name).join(', ');
        throw new SessionError(`plugin(s) ${who} tapped project for weight '${id}', which the model does not have`);
      }
    }
    for (const name of this.hookedLayers) {
      if (!this.layerByName(name)) {
        const taps = [this.hooks.layerInput, this.hooks.preActivation, this.hooks.layerOutput].flatMap(
          (map) => (map as { get(k: string): { taps: { name: string }[] } | undefined }).get(name)?.taps ?? [],
        );
        throw new SessionError(`plugin(s) ${[...new Set(taps.map((t) => t.name))].join(', ')} tapped a forward hook of layer '${name}', which the model does not have`);
      }
    }
  }

  /**
   * Straight-through estimator: the optimizer moved W to W'; the latent takes the same step
   * (L += W' − W), `update` taps see `weight.delta`, then every weight is re-projected.
   * @internal Called from the patched optimizer, or from `batchEnd` when no optimizer was patched.
   */
  absorbStep(): void {
    if (this.status !== 'running') return;
    this.stepAbsorbed = true;
    const weights = this.projectedWeights();
    for (const w of weights) {
      if (!w.latent || !w.lastProjected) continue;
      const prev = w.lastProjected;
      w.delta = tf.tidy(() => {
        const delta = tf.sub(w.value(), prev);
        w.latent!.assign(tf.add(w.latent!, delta));
        return delta;
      });
    }
    try {
      this.hooks.update.call({ session: this, step: this.step });
    } finally {
      for (const w of weights) {
        w.delta?.dispose();
        w.delta = null;
      }
    }
    this.projectAll('update');
  }

  private projectAll(phase: ProjectPhase): void {
    this.dirty.clear();
    for (const w of this.projectedWeights()) this.projectWeight(w, phase);
  }

  private projectDirty(phase: ProjectPhase): void {
    if (this.status !== 'running') return;
    const ids = [...this.dirty];
    this.dirty.clear();
    for (const id of ids) if (this.projectedIds.has(id)) this.projectWeight(this.weight(id), phase);
  }

  private projectWeight(w: TargetWeight, phase: ProjectPhase): void {
    const hook = this.hooks.project.get(w.id);
    const latent = w.latent;
    if (!hook || !latent) return;
    let pending: tf.Tensor | null = null;
    const [projected, newLatent] = tf.tidy(() => {
      const out = hook.call(latent, {
        session: this,
        weight: w,
        step: this.step,
        phase,
        latent,
        setLatent: (value) => {
          pending = value;
        },
      });
      const value = out === latent ? tf.clone(latent) : out;
      const lat = pending as tf.Tensor | null;
      return lat ? [value, lat === latent ? tf.clone(lat) : lat] : [value];
    });
    if (!sameShape(projected.shape, w.shape) || (newLatent && !sameShape(newLatent.shape, w.shape))) {
      projected.dispose();
      newLatent?.dispose();
      throw new SessionError(
        `projection of '${w.id}' by [${hook.taps.map((t) => t.name).join(', ')}] returned shape ` +
          `[${projected.shape}], expected [${w.shape}]`,
      );
    }
    if (newLatent) {
      latent.assign(newLatent);
      // The projection may be the new latent itself (a mask first in the chain); it is kept below.
      if (newLatent !== projected) newLatent.dispose();
    }
    (w.value() as tf.Variable).assign(projected);
    w.lastProjected?.dispose();
    // Kept: projections also run inside tfjs's per-batch tidy (from the patched optimizer).
    w.lastProjected = tf.keep(projected);
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
   * Patches `optimizer.applyGradients` on the instance so the straight-through update and the
   * projection happen synchronously inside the optimizer step. That is the only moment that is
   * both after the weights moved and before tfjs runs validation on the last batch of `fit()`.
   * @internal
   */
  attachOptimizer(optimizer: tf.Optimizer | undefined): void {
    if (!optimizer || this.optimizerPatch?.optimizer === optimizer) return;
    this.detachOptimizer();
    const target = optimizer as unknown as { applyGradients: (g: unknown) => void };
    const previous = Object.getOwnPropertyDescriptor(target, 'applyGradients');
    const original = target.applyGradients;
    const session = this;
    Object.defineProperty(target, 'applyGradients', {
      configurable: true,
      writable: true,
      value: function (this: unknown, grads: unknown) {
        original.call(this, grads);
        session.absorbStep();
      },
    });
    this.optimizerPatch = {
      optimizer,
      restore: () => {
        if (previous) Object.defineProperty(target, 'applyGradients', previous);
        else delete (target as { applyGradients?: unknown }).applyGradients;
      },
    };
  }

  /** @internal */
  detachOptimizer(): void {
    this.optimizerPatch?.restore();
    this.optimizerPatch = null;
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

/**
 * Loads a model saved by `session.save(dir)` together with its optimization state, to start the
 * next stage: `const { model, state } = await loadModel(dir); collab(model, plugins, { state })`.
 * A directory with a plain tfjs model (no state) loads with an empty state.
 * @group Session
 */
export async function loadModel(dir: string): Promise<{
  /** The loaded model (not compiled unless the files carry a training config). */
  model: tf.LayersModel;
  /** Its optimization state: what a next stage inherits with `collab(model, plugins, { state })`. */
  state: OptimizationState;
}> {
  const { model, saved } = await readSaved(dir, true);
  const state = saved ? decodeState(saved, model, dir) : new OptimizationState();
  if (saved && state.stages[state.stages.length - 1] !== saved.stage) state.stages.push(saved.stage);
  return { model, state };
}

async function readSaved(dir: string, stateOptional = false): Promise<{ model: tf.LayersModel; saved: SavedSession; files: Map<string, Uint8Array> }> {
  const files = await getSessionStore().read(dir, ['model.json'], [STATE_JSON, LATENTS_BIN]);
  const model = await modelFromFiles(files, dir);
  const bytes = files.get(STATE_JSON);
  if (!bytes) {
    if (stateOptional) return { model, saved: undefined as unknown as SavedSession, files };
    throw new StateError(`${dir} has no ${STATE_JSON}: it is a plain tfjs model, not a saved collabopt session`);
  }
  let saved: SavedSession;
  try {
    saved = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new StateError(`${dir}/${STATE_JSON} is not valid JSON: ${(e as Error).message}`);
  }
  if (saved?.format !== 'collabopt-session' || saved.version !== 1 || !Array.isArray(saved.plugins) || !Array.isArray(saved.latents)) {
    throw new StateError(`${dir}/${STATE_JSON} is not a collabopt session file (format 'collabopt-session', version 1)`);
  }
  return { model, saved, files };
}

function decodeState(saved: SavedSession, model: tf.LayersModel, dir: string): OptimizationState {
  const shapes = new Map([...modelWeights(model)].map(([id, w]) => [id, w.shape]));
  try {
    return OptimizationState.fromJSON(saved.state, shapes);
  } catch (e) {
    throw new StateError(`${dir}/${STATE_JSON}: ${(e as Error).message}`);
  }
}

function assertUsableModel(model: tf.LayersModel): void {
  if (!model || typeof (model as { predict?: unknown }).predict !== 'function' || !Array.isArray(model.layers)) {
    throw new SessionError('collab(model, ...): model must be a tf.LayersModel (tf.sequential() or tf.model())');
  }
  if (!model.layers.every((l) => l.built)) {
    throw new SessionError(
      `collab(model, ...): model '${model.name}' is not built; give its first layer an inputShape (or call model.build()) before optimizing it`,
    );
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
