/**
 * `cluster`: weight sharing (TFMOT's `cluster_weights`) as a collabopt plugin. See README.md in
 * this folder for options, invariants and TFMOT differences.
 *
 * How it runs in a session (DESIGN.md §3):
 * - `project[weight]` at Stage.CONSTRAIN: the value arriving (the latent, already masked when a
 *   sparsity plugin runs before it) is assigned to its nearest centroid — every step, by sorted
 *   midpoints, O(n log k) — and the model holds `centroids[assignment]`. The first projection
 *   initialises the centroids (or, when the weight inherits `clusters`, recovers them as its
 *   distinct values, as TFMOT's CQAT does).
 * - After each optimizer step each centroid moves by the *mean* of its members' optimizer steps
 *   `W' − W`; the latents take the same steps (straight-through), so assignments can change. Both
 *   happen in the projection that follows the step (phase `'update'`): a member's step is the change
 *   of its value since the last projection, so one read of the weight serves both, and the
 *   per-step cost is one pass for the centroids and the O(n log k) assignment. A pinned zero
 *   centroid never moves. Where the backend has collabopt's native `CollaboptClusterProject`
 *   kernel (wasm with the Node addon) both run there, in the heap, with the state kept as tensors
 *   between steps (read back at `trainEnd`/`finish`); elsewhere in JavaScript
 *   ({@link clusterProjection}), bit for bit the same.
 * - Sparsity-aware per weight: when `sparsity` is active on the weight (inherited, or established
 *   by a plugin that projects before this one), one centroid per tensor/channel is pinned at
 *   exactly 0 and only non-zero weights shape the others; masked positions stay 0.
 */
import * as tf from '@tensorflow/tfjs';
import {
  CLUSTER_PROJECT_KERNEL,
  ClustersInvariant,
  definePlugin,
  outputChannelLayout,
  SeededRandom,
  Stage,
  StateError,
  TargetError,
  type ClustersData,
  type JsonValue,
  type PluginContext,
  type TargetWeight,
} from '@collabopt/core';
import { kernelSupport } from '../common/kernelSupport';
import type { CentroidInitialization } from './CentroidInitialization';
import { channelGeometry, type ChannelGeometry } from './channelGeometry';
import { clusterPerChannel } from './clusterPerChannel';
import { clusterProjection, type CentroidFollow, type ClusterLayout } from './clusterProjection';
import type { ClusterOptions, ClusterSettings } from './ClusterOptions';
import { clusterDefaults, clusterOptionsSchema } from './clusterOptionsSchema';
import { clusterWeights } from './clusterWeights';

const NAME = 'cluster';

/** Per-weight clustering state. */
interface ClusterTarget {
  readonly weight: TargetWeight;
  readonly k: number;
  readonly method: CentroidInitialization;
  readonly refineIterations: number;
  /** Channel axes for per-channel clustering, null per tensor. */
  readonly channelAxes: readonly number[] | null;
  /** Channel layout when clustering per channel. */
  readonly geometry: ChannelGeometry | null;
  /** Element → centroid row, for the projection. */
  readonly layout: ClusterLayout;
  /**
   * Per tensor: [k]; per channel: row-major [C, k]. Null until the first projection, and while
   * the state lives in `native`.
   */
  centroids: Float32Array | null;
  /** Index within the weight's (or its channel's) centroid row, per element; from the last projection. */
  assignment: Int32Array | null;
  /** The values the last projection assigned (members' steps are measured from them). */
  lastInput: Float32Array | null;
  /** The same state as tensors (assignment as float32 integers) while the native kernel projects. */
  native: NativeClusterState | null;
  sparsityAware: boolean;
  skipped: boolean;
}

/** {@link ClusterTarget}'s state on the backend, kept (outside any tidy) between projections. */
interface NativeClusterState {
  readonly centroids: tf.Tensor;
  readonly assignment: tf.Tensor | null;
  readonly lastInput: tf.Tensor | null;
}

/**
 * Weight clustering: k shared values per kernel (or per output channel), centroids fine-tuned
 * during training, sparsity-aware where `sparsity` is active. Establishes `clusters`.
 *
 * ```ts
 * collab(model, [sparsityConstraint(), cluster({ numClusters: 16 })], { state }); // sparsity-preserving clustering
 * ```
 * @group Clustering
 */
export const cluster = definePlugin<ClusterOptions>({
  name: NAME,
  optionsSchema: clusterOptionsSchema,
  invariants: (o) => ({
    establishes: ['clusters'],
    preserves: [],
    requires: [],
    // A pinned zero centroid keeps every exact zero (so `sparsity`).
    traits: o.preserveSparsity === false ? [] : ['zero-preserving'],
  }),
  create(options) {
    const targets: ClusterTarget[] = [];
    const byId = new Map<string, ClusterTarget>();

    return {
      apply(session: PluginContext) {
        const { include, exclude, layers } = options;
        const resolved = session.targets<ClusterSettings>({
          plugin: NAME,
          support: kernelSupport,
          spec: { include, exclude },
          rules: (layers ?? []).map(({ select, ...settings }) => ({ select, settings })),
          defaults: { numClusters: options.numClusters, init: options.init, perChannel: options.perChannel, refineIterations: options.refineIterations },
        });
        const tooSmall: string[] = [];
        for (const { weight, settings } of resolved) {
          const inherited = session.state.get<ClustersData>(weight.id, 'clusters');
          const perChannel = inherited ? inherited.data.channels !== null : settings.perChannel === true;
          const channelAxes = perChannel ? channelAxesOf(weight) : null;
          const geometry = channelAxes ? channelGeometry(weight.shape as number[], channelAxes) : null;
          const k = inherited ? inherited.data.k : settings.numClusters ?? clusterDefaults.numClusters;
          const perGroup = geometry ? geometry.perChannel : weight.size;
          if (k > perGroup) {
            // TFMOT #979: a 1x1 conv with fewer weights per channel than clusters became all zeros.
            tooSmall.push(`${weight.id} (${perGroup} weights${channelAxes ? ' per channel' : ''} < ${k} clusters)`);
            continue;
          }
          const target: ClusterTarget = {
            weight,
            k,
            method: settings.init ?? clusterDefaults.init,
            refineIterations: settings.refineIterations ?? clusterDefaults.refineIterations,
            channelAxes,
            geometry,
            layout: geometry ? { channels: geometry.channels, inner: geometry.inner, k } : { channels: 1, inner: 1, k },
            centroids: null,
            assignment: null,
            lastInput: null,
            native: null,
            sparsityAware: false,
            skipped: false,
          };
          targets.push(target);
          byId.set(weight.id, target);
          session.hooks.project
            .for(weight.id)
            .tap({ name: NAME, stage: Stage.CONSTRAIN }, (value, ctx) => project(session, target, value, options, ctx.phase === 'update'));
        }
        if (tooSmall.length > 0) session.warn(`${NAME}: left unclustered, too few weights for the clusters: ${tooSmall.join(', ')}`);
        // No tensors outlive a fit() or the session: the state comes back to JavaScript.
        const release = () => targets.forEach(toJs);
        session.hooks.trainEnd.tap({ name: NAME, stage: Stage.CONSTRAIN }, release);
        session.hooks.finish.tap({ name: NAME, stage: Stage.CONSTRAIN }, release);
      },

      saveState(): JsonValue {
        const out: Record<string, JsonValue> = {};
        for (const t of targets) {
          toJs(t);
          if (t.centroids) out[t.weight.id] = { centroids: Array.from(t.centroids), sparsityAware: t.sparsityAware };
        }
        return out;
      },

      loadState(state: JsonValue) {
        const saved = (state ?? {}) as Record<string, { centroids: number[]; sparsityAware: boolean }>;
        for (const [id, s] of Object.entries(saved)) {
          const t = byId.get(id);
          if (!t) continue;
          toJs(t);
          t.centroids = Float32Array.from(s.centroids);
          t.sparsityAware = s.sparsityAware;
        }
      },
    };
  },
});

/** Channel axes of a weight for per-channel clustering: trailing axes only (what the `clusters` invariant can describe). */
function channelAxesOf(weight: TargetWeight): number[] {
  const rank = weight.shape.length;
  if (weight.className === 'Conv2DTranspose') {
    throw new TargetError(`${NAME}: per-channel clustering of '${weight.id}' (Conv2DTranspose) is not supported: its output channels are not the last axis; cluster it per tensor`);
  }
  return [...(outputChannelLayout(weight.className, weight.weightName, weight.shape)?.axes ?? [rank - 1])];
}

/** Whether `sparsity` is active on the weight now, or established by a plugin projecting before `cluster`. */
function isSparsityActive(session: PluginContext, weight: TargetWeight): boolean {
  if (session.state.has(weight.id, 'sparsity')) return true;
  const taps = session.hooks.project.get(weight.id)?.taps ?? [];
  const establishers = new Set(session.plugins.filter((p) => p.invariants.establishes.includes('sparsity')).map((p) => p.name));
  return taps.some((t) => (t.stage ?? 0) < Stage.CONSTRAIN && establishers.has(t.name));
}

function project(session: PluginContext, t: ClusterTarget, value: tf.Tensor, options: ClusterOptions, afterStep: boolean): tf.Tensor {
  if (t.skipped) return value;
  let v: Float32Array | null = null;
  if (!t.centroids && !t.native) {
    v = value.dataSync() as Float32Array;
    if (!initialize(session, t, v, options)) return value;
  }
  const follow: CentroidFollow = afterStep ? options.centroidUpdate ?? clusterDefaults.centroidUpdate : 'none';
  if (tf.getKernel(CLUSTER_PROJECT_KERNEL, tf.getBackend()) != null && value.dtype === 'float32') return projectNative(t, value, follow);
  toJs(t);
  v ??= value.dataSync() as Float32Array;
  const state = { centroids: t.centroids!, assignment: t.assignment, lastInput: t.lastInput };
  const out = clusterProjection(v, state, t.layout, follow, t.sparsityAware);
  t.assignment = state.assignment;
  t.lastInput = state.lastInput;
  return tf.tensor(out, value.shape, 'float32');
}

/** {@link clusterProjection} as one native kernel on the backend; the state stays there. */
function projectNative(t: ClusterTarget, value: tf.Tensor, follow: CentroidFollow): tf.Tensor {
  const state = (t.native ??= toNative(t));
  const previous = follow !== 'none' && state.assignment && state.lastInput ? { prevX: state.lastInput, prevAssignment: state.assignment } : null;
  const inputs = { x: value, centroids: state.centroids, ...previous };
  const attrs = { ...t.layout, update: previous ? follow : 'none', pinZero: t.sparsityAware };
  let outs: tf.Tensor[];
  try {
    outs = tf.engine().runKernel(CLUSTER_PROJECT_KERNEL, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  } catch (e) {
    // A non-finite centroid or weight: the JavaScript projection reports it in its own words
    // (and leaves the state as it would have).
    if (e instanceof RangeError) {
      toJs(t);
      clusterProjection(value.dataSync() as Float32Array, { centroids: t.centroids!, assignment: t.assignment, lastInput: t.lastInput }, t.layout, follow, t.sparsityAware);
    }
    throw e;
  }
  const [y, assignment, centroids] = outs;
  disposeNative(state);
  // A copy (one memcpy in the heap): the input may be the latent variable, or a tensor another
  // tap disposes.
  t.native = { centroids: tf.keep(centroids!), assignment: tf.keep(assignment!), lastInput: tf.keep(tf.clone(value)) };
  return y!;
}

/** Moves a target's state to the backend (before the first native projection). */
function toNative(t: ClusterTarget): NativeClusterState {
  const shape = t.weight.shape as number[];
  const state = {
    centroids: tf.keep(tf.tensor1d(t.centroids!, 'float32')),
    assignment: t.assignment ? tf.keep(tf.tensor(Float32Array.from(t.assignment), shape, 'float32')) : null,
    lastInput: t.lastInput ? tf.keep(tf.tensor(t.lastInput, shape, 'float32')) : null,
  };
  t.centroids = t.assignment = t.lastInput = null;
  return state;
}

/** Brings a target's state back from the backend, if it is there. */
function toJs(t: ClusterTarget): void {
  const state = t.native;
  if (!state) return;
  t.centroids = Float32Array.from(state.centroids.dataSync());
  t.assignment = state.assignment ? Int32Array.from(state.assignment.dataSync()) : null;
  t.lastInput = state.lastInput ? Float32Array.from(state.lastInput.dataSync()) : null;
  disposeNative(state);
  t.native = null;
}

function disposeNative(state: NativeClusterState): void {
  state.centroids.dispose();
  state.assignment?.dispose();
  state.lastInput?.dispose();
}

/** Calls `fn(flatIndex, indexWithinChannel)` for every element of channel `c`. */
function forChannel(size: number, stride: number, inner: number, c: number, fn: (i: number, j: number) => void): void {
  let j = 0;
  for (let base = c * inner; base < size; base += stride) {
    for (let r = 0; r < inner; r++) fn(base + r, j++);
  }
}

/** First projection: centroids from the weights (or recovered from inherited clusters). False if the weight must stay unclustered. */
function initialize(session: PluginContext, t: ClusterTarget, v: Float32Array, options: ClusterOptions): boolean {
  t.sparsityAware = options.preserveSparsity !== false && isSparsityActive(session, t.weight);
  if (session.state.has(t.weight.id, 'clusters')) {
    // An inherited invariant that cannot be kept is an error, not a skip.
    t.centroids = recoverCentroids(v, t);
  } else {
    try {
      const random = new SeededRandom(session.seed).child(`${NAME}:${t.weight.id}`);
      // Centroids only: the projection that follows assigns every weight anyway.
      const common = { method: t.method, preserveSparsity: t.sparsityAware, random, refineIterations: t.refineIterations, assign: false };
      t.centroids = t.channelAxes
        ? clusterPerChannel(v, t.weight.shape as number[], t.k, { ...common, channelAxes: t.channelAxes as number[] }).centroids
        : clusterWeights(v, t.k, common).centroids;
    } catch (e) {
      // Too few distinct (non-zero) values for k: leave the weight as it is, loudly.
      session.warn(`${NAME}: left '${t.weight.id}' unclustered: ${(e as Error).message}`);
      t.skipped = true;
      return false;
    }
  }
  const channels = t.geometry ? t.geometry.channels : null;
  session.state.establish(t.weight.id, ClustersInvariant, { k: t.k, channels }, NAME);
  return true;
}

/**
 * TFMOT's CQAT: the centroids of an already-clustered weight are its distinct values (per
 * channel). A channel with fewer than k distinct values repeats one of its own values — never a
 * padding constant (TFMOT pads with 1.0, which adds a value the weight never had).
 */
function recoverCentroids(v: Float32Array, t: ClusterTarget): Float32Array {
  const groups = t.geometry ? t.geometry.channels : 1;
  const inner = t.geometry ? t.geometry.inner : 1;
  const out = new Float32Array(groups * t.k);
  for (let c = 0; c < groups; c++) {
    const values = new Set<number>();
    if (t.geometry) forChannel(v.length, groups * inner, inner, c, (i) => values.add(v[i] === 0 ? 0 : v[i]));
    else v.forEach((x) => values.add(x === 0 ? 0 : x));
    if (values.size > t.k) {
      throw new StateError(`${NAME}: '${t.weight.id}' inherits at most ${t.k} clusters but has ${values.size} distinct values${t.geometry ? ` in channel ${c}` : ''}; the state does not belong to these weights`);
    }
    const sorted = [...values].sort((a, b) => a - b);
    for (let j = 0; j < t.k; j++) out[c * t.k + j] = sorted[Math.min(j, sorted.length - 1)];
  }
  return out;
}
