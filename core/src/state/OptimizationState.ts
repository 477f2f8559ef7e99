import * as tf from '@tensorflow/tfjs';
import { StateError } from '../errors/StateError';
import type { Invariant, JsonValue } from '../invariants/Invariant';
import { getInvariant } from '../invariants/InvariantRegistry';

/**
 * One invariant that holds for one weight, with the data that defines it.
 * @group State
 */
export interface InvariantRecord<D = unknown> {
  /** The invariant that holds. */
  readonly invariant: Invariant<D>;
  /** The data that defines it on this weight (a mask, a cluster count, scales). */
  readonly data: D;
  /** Plugin name, or `stage '<name>'` when inherited from an earlier stage. */
  readonly establishedBy: string;
}

/**
 * Serialised form of {@link OptimizationState} (`collabopt-state.json`, key `invariants`).
 * @group State
 */
export interface OptimizationStateJson {
  /** Always `collabopt-state`. */
  readonly format: 'collabopt-state';
  /** Format version, 1. */
  readonly version: 1;
  /** Names of the stages that produced this state, oldest first. */
  readonly stages: string[];
  /** weight id → invariant name → { establishedBy, data }. */
  readonly invariants: Record<
    string,
    Record<
      string,
      {
        /** Plugin name, or `stage '<name>'` when inherited. */
        establishedBy: string;
        /** The invariant's data, as its `encode` returned it. */
        data: JsonValue;
      }
    >
  >;
  /** Layer name → observed range of that layer's output (model inputs: the input layer's name). */
  readonly activationRanges?: Record<string, ActivationRange>;
}

/**
 * Key of the range of a layer's value *before* its fused activation (e.g. the logits of
 * `Dense(softmax)`), in {@link OptimizationState.activationRanges}. Integer exporters split such
 * a layer into its linear op, whose output has this range, and the activation.
 * @group State
 */
export function preActivationRangeKey(layerName: string): string {
  return `${layerName}:preactivation`;
}

/**
 * An observed float range of one activation tensor, for integer export.
 * @group State
 */
export interface ActivationRange {
  /** Smallest observed value. */
  readonly min: number;
  /** Largest observed value. */
  readonly max: number;
  /** Bit width the range was emulated with (8 unless a plugin says otherwise); int8 export needs 8. */
  readonly bits?: number;
}

/**
 * What one stage hands to the next (DESIGN.md §2): which invariants hold for which weights, with
 * their data (masks, cluster counts, scales). A session owns its state; a later stage inherits a
 * {@link OptimizationState.clone | clone}, so disposing one never breaks the other.
 * @group State
 */
export class OptimizationState {
  /** Stages that produced this state, oldest first. */
  readonly stages: string[] = [];
  /**
   * Observed ranges of activations, keyed by the name of the layer whose output they describe
   * (for model inputs, the input layer's name; for a value before a fused activation,
   * {@link preActivationRangeKey}). Written by quantization/calibration plugins, read by integer
   * exporters. A layer whose output is not quantized (it feeds a BatchNormalization or ReLU that
   * exporters fuse into it, or it only moves data, like max pooling) has no entry.
   */
  readonly activationRanges = new Map<string, ActivationRange>();
  private readonly records = new Map<string, Map<string, InvariantRecord>>();

  /** Records that invariant `name` holds for `weightId`, replacing (and disposing) an earlier record. */
  establish<D>(weightId: string, invariant: Invariant<D> | string, data: D, establishedBy: string): void {
    const inv = (typeof invariant === 'string' ? getInvariant(invariant) : invariant) as Invariant<D>;
    let forWeight = this.records.get(weightId);
    if (!forWeight) this.records.set(weightId, (forWeight = new Map()));
    const old = forWeight.get(inv.name);
    if (old && old.data !== data) old.invariant.dispose?.(old.data);
    forWeight.set(inv.name, { invariant: inv as Invariant<unknown>, data, establishedBy });
  }

  /** The record of `name` on `weightId`, if that invariant is active there. */
  get<D = unknown>(weightId: string, name: string): InvariantRecord<D> | undefined {
    return this.records.get(weightId)?.get(name) as InvariantRecord<D> | undefined;
  }

  /** Whether invariant `name` is active on `weightId`. */
  has(weightId: string, name: string): boolean {
    return this.records.get(weightId)?.has(name) ?? false;
  }

  /** Drops invariant `name` (on one weight, or on all), disposing its data. Returns how many records were dropped. */
  release(name: string, weightId?: string): number {
    let n = 0;
    for (const [id, forWeight] of this.records) {
      if (weightId !== undefined && id !== weightId) continue;
      const rec = forWeight.get(name);
      if (rec) {
        rec.invariant.dispose?.(rec.data);
        forWeight.delete(name);
        n++;
      }
      if (forWeight.size === 0) this.records.delete(id);
    }
    return n;
  }

  /** Weight ids with at least one invariant. */
  weightIds(): string[] {
    return [...this.records.keys()];
  }

  /** Active records of one weight. */
  recordsOf(weightId: string): InvariantRecord[] {
    return [...(this.records.get(weightId)?.values() ?? [])];
  }

  /** All `[weightId, record]` pairs. */
  *entries(): IterableIterator<[string, InvariantRecord]> {
    for (const [id, forWeight] of this.records) for (const rec of forWeight.values()) yield [id, rec];
  }

  /** Names of invariants active on any weight. */
  activeInvariants(): string[] {
    const names = new Set<string>();
    for (const [, rec] of this.entries()) names.add(rec.invariant.name);
    return [...names].sort();
  }

  /**
   * An independent copy (tensors are cloned: cheap, shared storage). `establishedBy` becomes
   * `stage '<stage>'` when `asStage` is given: that is how a later stage sees inherited invariants.
   */
  clone(asStage?: string): OptimizationState {
    const copy = new OptimizationState();
    copy.stages.push(...this.stages);
    for (const [k, r] of this.activationRanges) copy.activationRanges.set(k, { ...r });
    if (asStage !== undefined && copy.stages[copy.stages.length - 1] !== asStage) copy.stages.push(asStage);
    for (const [id, rec] of this.entries()) {
      const data = cloneData(rec.data);
      copy.establish(id, rec.invariant, data, asStage !== undefined && !rec.establishedBy.startsWith('stage ') ? `stage '${asStage}'` : rec.establishedBy);
    }
    return copy;
  }

  /** The JSON form saved as `collabopt-state.json` (see {@link OptimizationState.fromJSON}). */
  toJSON(): OptimizationStateJson {
    const invariants: OptimizationStateJson['invariants'] = {};
    for (const [id, forWeight] of this.records) {
      invariants[id] = {};
      for (const [name, rec] of forWeight) invariants[id][name] = { establishedBy: rec.establishedBy, data: rec.invariant.encode(rec.data) };
    }
    const activationRanges = Object.fromEntries(
      [...this.activationRanges].map(([k, r]) => [k, r.bits === undefined ? { min: r.min, max: r.max } : { min: r.min, max: r.max, bits: r.bits }]),
    );
    return { format: 'collabopt-state', version: 1, stages: [...this.stages], invariants, activationRanges };
  }

  /**
   * Rebuilds a state from JSON. `shapes` gives each weight's shape (from the model the state is
   * loaded for); a weight the model does not have, or a corrupt record, is a {@link StateError}.
   */
  static fromJSON(json: unknown, shapes: ReadonlyMap<string, readonly number[]>): OptimizationState {
    const o = json as Partial<OptimizationStateJson> | null;
    if (!o || o.format !== 'collabopt-state' || o.version !== 1 || typeof o.invariants !== 'object' || !Array.isArray(o.stages)) {
      throw new StateError(`not a collabopt optimization state (expected {format: 'collabopt-state', version: 1, stages, invariants})`);
    }
    const state = new OptimizationState();
    state.stages.push(...o.stages.map(String));
    for (const [name, r] of Object.entries(o.activationRanges ?? {})) {
      if (!r || typeof r.min !== 'number' || typeof r.max !== 'number' || !(r.min <= r.max)) {
        throw new StateError(`activation range of '${name}' must be {min, max} with min <= max, got ${JSON.stringify(r)}`);
      }
      if (r.bits !== undefined && !(Number.isInteger(r.bits) && r.bits >= 2 && r.bits <= 16)) {
        throw new StateError(`activation range of '${name}' has an invalid bit width ${JSON.stringify(r.bits)}`);
      }
      state.activationRanges.set(name, r.bits === undefined ? { min: r.min, max: r.max } : { min: r.min, max: r.max, bits: r.bits });
    }
    try {
      for (const [id, forWeight] of Object.entries(o.invariants ?? {})) {
        const shape = shapes.get(id);
        if (!shape) throw new StateError(`state has invariants for weight '${id}', which the model does not have`);
        for (const [name, rec] of Object.entries(forWeight)) {
          const inv = getInvariant(name);
          let data: unknown;
          try {
            data = inv.decode(rec.data, shape);
          } catch (e) {
            throw new StateError(`weight '${id}': ${(e as Error).message}`);
          }
          state.establish(id, inv, data, String(rec.establishedBy));
        }
      }
    } catch (e) {
      state.dispose();
      throw e;
    }
    return state;
  }

  /** Releases every tensor held by the records. */
  dispose(): void {
    for (const [, rec] of this.entries()) rec.invariant.dispose?.(rec.data);
    this.records.clear();
    this.activationRanges.clear();
  }
}

/** Deep-copies invariant data, cloning tensors (storage is shared and reference counted by tfjs). */
function cloneData<D>(data: D): D {
  if (data instanceof tf.Tensor) return tf.clone(data) as unknown as D;
  if (ArrayBuffer.isView(data)) return (data as unknown as Float32Array).slice() as unknown as D;
  if (Array.isArray(data)) return data.map(cloneData) as unknown as D;
  if (data && typeof data === 'object') {
    return Object.fromEntries(Object.entries(data as object).map(([k, v]) => [k, cloneData(v)])) as D;
  }
  return data;
}
