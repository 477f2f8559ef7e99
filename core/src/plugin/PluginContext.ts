import type * as tf from '@tensorflow/tfjs';
import type { HookMap } from 'tapable';
import type { SessionHooks } from '../hooks/SessionHooks';
import type { OptimizationState } from '../state/OptimizationState';
import type { ResolvedTarget, ResolveTargetsArgs } from '../targeting/resolveTargets';
import type { TargetWeight } from '../weights/TargetWeight';
import type { Plugin } from './Plugin';

/**
 * A hook as a plugin sees it: it can tap and read who tapped (`taps`, for composition checks),
 * but not fire it — only the session fires hooks, at the moments `SessionHooks` documents.
 * @group Plugins
 */
export type TapOnlyHook<H> = Pick<H, Extract<keyof H, 'tap' | 'tapAsync' | 'tapPromise' | 'taps' | 'name'>>;

/**
 * A `HookMap` (per weight, per layer) as a plugin sees it: every hook in it is {@link TapOnlyHook}.
 * @group Plugins
 */
export interface TapOnlyHookMap<H> {
  /** The hook for `key`, created on first use. Creating it is what tells the session to project that weight / hook that layer. */
  for(key: string): TapOnlyHook<H>;
  /** The hook for `key` if some plugin created it. */
  get(key: string): TapOnlyHook<H> | undefined;
}

/**
 * The session's hooks as plugins see them: tap-only (see {@link TapOnlyHook}).
 * @group Plugins
 */
export type PluginHooks = {
  readonly [K in keyof SessionHooks]: SessionHooks[K] extends HookMap<infer H> ? TapOnlyHookMap<H> : TapOnlyHook<SessionHooks[K]>;
};

/**
 * What a plugin may use of the session it is applied to (`Plugin.apply(ctx)`) and what hook
 * contexts carry as `session`. `Session` implements it; plugins get nothing more, so they cannot
 * move the position, drive the loop (`trainBegin`…, `absorbStep`, the optimizer patch) or fire hooks.
 * @group Plugins
 */
export interface PluginContext {
  /** Stage name (used in errors and recorded in the optimization state). */
  readonly name: string;
  /**
   * The user's model. Plugins read it (exporters write it out, support checks walk its layers);
   * weights change only through `project` taps.
   */
  readonly model: tf.LayersModel;
  /** The session's hooks, tap-only (see `SessionHooks` for exactly when each fires). */
  readonly hooks: PluginHooks;
  /**
   * Every plugin of the session in composer order. Needed by plugins whose projection depends on
   * another plugin's declarations (clustering asks which plugin establishes sparsity on a weight).
   */
  readonly plugins: readonly Plugin[];
  /** Invariants active on which weights, with their data; plugins establish and release records here. */
  readonly state: OptimizationState;
  /** Every weight of the model, by id (`layer/weight`). */
  readonly modelWeights: ReadonlyMap<string, TargetWeight>;
  /** Seed for plugins' random generators, so runs are reproducible. */
  readonly seed: number;
  /** Whether this stage trains (`SessionOptions.train`); `false` for calibration-only stages. */
  readonly trains: boolean;

  /** Global optimizer step; the batch being trained is step `step` (1-based, as TFMOT counts). Read-only. */
  readonly step: number;
  /** Epoch index (0-based) of the epoch in progress or next. Read-only. */
  readonly epoch: number;
  /** Steps per epoch once the training loop tells (fit: ⌈samples / batchSize⌉); null until known. Read-only. */
  readonly stepsPerEpoch: number | null;
  /** True while `session.calibrate()` runs forward passes (observers update, no training). Read-only. */
  readonly calibrating: boolean;
  /** Whether the session has started (latents exist) and not finished. */
  readonly running: boolean;
  /** Whether `session.finish()` has completed. */
  readonly finished: boolean;

  /**
   * Resolves a plugin's target selection against this model (see `resolveTargets`): default
   * supported weights, selectors, exclusions and per-layer rules; warnings go to the session.
   */
  targets<S extends object>(args: Omit<ResolveTargetsArgs<S>, 'weights' | 'warn'>): ResolvedTarget<S>[];
  /** The weight with this id. @throws SessionError if the model has none. */
  weight(id: string): TargetWeight;
  /** Weights some plugin projects (has `project[id]` taps). */
  projectedWeights(): TargetWeight[];
  /** Every layer of the model in topological order, nested models flattened. */
  modelLayers(): tf.layers.Layer[];
  /** A layer of the model (nested models included) by name. */
  layerByName(name: string): tf.layers.Layer | undefined;
  /**
   * Tells the session that a weight's projection changed (a new mask, new centroids). Nothing is
   * re-projected at the call: the weight is re-projected at `Stage.PROJECT` of the hook in
   * progress or the next one of `batchBegin`, `batchEnd` and `epochEnd`; marked during `finish`,
   * after the whole `finish` hook, before `export`. An optimizer step in between re-projects every
   * weight anyway.
   */
  markDirty(weightId: string): void;
  /** Emits a warning through `SessionOptions.onWarning`. */
  warn(message: string): void;
}
