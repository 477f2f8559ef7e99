/**
 * `prune`: magnitude pruning with schedules (TFMOT's `prune_low_magnitude`), as a collabopt
 * plugin. See README.md in this folder for options, invariants and TFMOT differences.
 *
 * How it runs in a session (DESIGN.md §3):
 * - `batchBegin` at Stage.STRUCTURE: when the schedule says so at this step (and always at its
 *   end step), the mask of each targeted weight is recomputed from its *latent* (the
 *   full-precision weight the optimizer trains), and the weight is marked dirty so the forward
 *   pass of this very step sees it — the same moment TFMOT updates masks (inside `call()`, before
 *   the forward pass).
 * - `project[weight]` at Stage.STRUCTURE: `W = L ⊙ mask`, and pruned latents are re-zeroed
 *   (TFMOT re-zeroes pruned weights before every forward pass) — except after the step before a
 *   mask recomputation, so the new mask sees that step's update and pruned weights can regrow.
 *   Between batches the model is always sparse — TFMOT's "checkpoints not sparse" (#206) cannot
 *   happen.
 * - `trainBegin` at Stage.SCHEDULE: resolves epoch positions and warns, before the first batch,
 *   when the run cannot reach the schedule's end.
 * - When the schedule has ended (its end step is reached; N:M after its one mask), `sparsity` is
 *   established with the final mask; schedules without an end establish it at `finish()`.
 * - `epochEnd` at Stage.REPORT: `logs['sparsity/<layer>']` and `logs['sparsity']`, and the
 *   plugin's own `sparsity` hook (see {@link getPruneHooks}).
 */
import * as tf from '@tensorflow/tfjs';
import {
  definePlugin,
  PluginOptionsError,
  SessionError,
  SparsityInvariant,
  Stage,
  TargetError,
  type JsonValue,
  type PluginContext,
  type TargetWeight,
} from '@collabopt/core';
import { blockMask } from './blockMask';
import { ConstantSparsitySchedule } from './ConstantSparsitySchedule';
import { nmMask } from './nmMask';
import { magnitudeMask } from './magnitudeMask';
import { PolynomialDecaySchedule } from './PolynomialDecaySchedule';
import type { PruningDecision, PruningSchedule } from './PruningSchedule';
import { getPruneHooks, type SparsityReport } from './PruneHooks';
import { kernelSupport } from '../common/kernelSupport';
import type { PruneOptions, PruneScheduleConfig, PruneSettings } from './PruneOptions';
import { pruneDefaults, pruneOptionsSchema } from './pruneOptionsSchema';

/** Per-weight pruning state. */
interface PruneTarget {
  readonly weight: TargetWeight;
  readonly settings: PruneSettings;
  /** As built from options (may need epochs → steps resolution). */
  readonly schedule: PruningSchedule | null;
  /** Step-based schedule, set at trainBegin. */
  resolved: PruningSchedule | null;
  /** Last step at which the schedule may prune (null: never ends, or unknown for custom schedules). */
  endStep: number | null;
  mask: tf.Tensor | null;
  established: boolean;
}

const NAME = 'prune';

/**
 * Magnitude pruning with TFMOT's schedules, block sparsity and N:M structured sparsity.
 * Establishes `sparsity` once its schedule has ended.
 *
 * ```ts
 * const session = collab(model, [prune({ finalSparsity: 0.5, endStep: 2000 })]);
 * ```
 * @group Pruning
 */
export const prune = definePlugin<PruneOptions>({
  name: NAME,
  optionsSchema: pruneOptionsSchema,
  passThrough: ['schedule'],
  invariants: { establishes: ['sparsity'], preserves: [], requires: [] },
  create(options) {
    // Fail at the call site for settings that JSON Schema cannot judge (schedule semantics).
    buildSchedule(options, '');
    options.layers?.forEach((rule, i) => buildSchedule({ ...withoutTargeting(options), ...rule }, `/layers/${i}`));
    const targets: PruneTarget[] = [];
    const warnedShort = new Set<string>();

    return {
      apply(session: PluginContext) {
        const { include, exclude, layers } = options;
        const resolved = session.targets<PruneSettings>({
          plugin: NAME,
          support: kernelSupport,
          spec: { include, exclude },
          rules: (layers ?? []).map(({ select, ...settings }) => ({ select, settings })),
          defaults: withoutTargeting(options),
        });
        for (const { weight, settings } of resolved) {
          checkStructure(weight, settings);
          const inherited = session.state.get<{ mask: tf.Tensor }>(weight.id, 'sparsity');
          const target: PruneTarget = {
            weight,
            settings,
            schedule: settings.nm ? null : buildSchedule(settings, ''),
            resolved: null,
            endStep: null,
            // Pruning again starts from the inherited mask; the new schedule then decides.
            mask: inherited ? tf.keep(tf.clone(inherited.data.mask)) : null,
            established: false,
          };
          if (inherited) session.state.release('sparsity', weight.id);
          targets.push(target);
          session.hooks.project.for(weight.id).tap({ name: NAME, stage: Stage.STRUCTURE }, (value, ctx) => {
            const mask = target.mask;
            if (!mask) return value;
            // First in the chain the value *is* the latent: one multiply serves both.
            const maskedLatent = tf.mul(ctx.latent, mask);
            // TFMOT re-zeroes pruned weights before every forward pass, after the mask update:
            // a mask is computed from weights that took one optimizer step since the last
            // forward pass, so a pruned weight can win its way back. Re-zeroing the latent right
            // after the step would make that impossible; so when the next step recomputes the
            // mask, the latent keeps this step's update until then (the model still holds masked
            // weights). At batchBegin the mask of this step is in place: re-zero.
            const keepForNextMask = ctx.phase !== 'batchBegin' && recomputeAt(target, ctx.step + 1) !== null;
            if (!keepForNextMask) ctx.setLatent(maskedLatent);
            return value === ctx.latent ? maskedLatent : tf.mul(value, mask);
          });
        }

        session.hooks.trainBegin.tap({ name: NAME, stage: Stage.SCHEDULE }, ({ params }) => {
          for (const t of targets) {
            if (!t.schedule) continue;
            try {
              t.resolved = t.schedule.resolve ? t.schedule.resolve(session.stepsPerEpoch ?? undefined) : t.schedule;
            } catch (e) {
              if (session.stepsPerEpoch !== null) throw e;
              throw new SessionError(
                `${NAME}: the schedule of '${t.weight.id}' is given in epochs, but the training loop does not say how many steps an epoch has ` +
                  `(${(e as Error).message}). Pass batchesPerEpoch to fitDataset() for a dataset of unknown size, or give the schedule in steps`,
              );
            }
            t.endStep = scheduleEnd(t.resolved);
          }
          warnIfRunMissesSchedule(session, targets, plannedLastStep(session, params), warnedShort);
        });

        session.hooks.batchBegin.tap({ name: NAME, stage: Stage.STRUCTURE }, ({ step }) => {
          for (const t of targets) updateMask(session, t, step);
        });

        session.hooks.epochEnd.tap({ name: NAME, stage: Stage.REPORT }, ({ epoch, logs }) => {
          const report = measure(targets, session.step, epoch);
          for (const [layer, s] of Object.entries(report.layers)) logs[`sparsity/${layer}`] = s;
          logs['sparsity'] = report.overall;
          getPruneHooks(session).sparsity.call(report);
        });

        session.hooks.finish.tap({ name: NAME, stage: Stage.STRUCTURE }, () => {
          const never: string[] = [];
          for (const t of targets) {
            if (t.established) continue;
            if (t.mask) establish(session, t);
            else never.push(t.weight.id);
          }
          if (never.length > 0) {
            session.warn(`${NAME}: the schedule never pruned ${never.join(', ')} in ${session.step} steps; no sparsity was established for them`);
          }
          for (const t of targets) {
            t.mask?.dispose();
            t.mask = null;
          }
        });
      },

      saveState(): JsonValue {
        const masks: Record<string, JsonValue> = {};
        for (const t of targets) if (t.mask) masks[t.weight.id] = SparsityInvariant.encode({ mask: t.mask });
        return { masks, established: targets.filter((t) => t.established).map((t) => t.weight.id) };
      },

      loadState(state: JsonValue) {
        const s = state as { masks?: Record<string, JsonValue>; established?: string[] } | null;
        for (const t of targets) {
          const saved = s?.masks?.[t.weight.id];
          if (saved === undefined) continue;
          t.mask?.dispose();
          t.mask = tf.keep(SparsityInvariant.decode(saved, t.weight.shape).mask);
          t.established = s?.established?.includes(t.weight.id) ?? false;
        }
      },
    };
  },
});

function withoutTargeting(options: PruneOptions): PruneSettings {
  const { include: _i, exclude: _e, layers: _l, ...settings } = options;
  return settings;
}

/** The schedule for one set of settings (null for N:M, which ignores schedules, as TFMOT does). */
function buildSchedule(settings: PruneSettings, pointer: string): PruningSchedule | null {
  if (settings.nm) return null;
  const s = settings.schedule;
  try {
    if (s && typeof (s as PruningSchedule).at === 'function') return s as PruningSchedule;
    // The shortcut options name the same two schedules as the JSON form: one construction path.
    const c = (s as PruneScheduleConfig | undefined) ?? shortcutSchedule(settings);
    // Validation fills no defaults inside the schedule union: they come from the schema here.
    if (c.type === 'constantSparsity') {
      const { type: _type, ...given } = c;
      return new ConstantSparsitySchedule({ ...pruneDefaults.constantSparsity, ...definedOnly(given) });
    }
    const { type: _type, ...given } = c;
    return new PolynomialDecaySchedule({ ...pruneDefaults.polynomialDecay, ...definedOnly(given) });
  } catch (e) {
    throw new PluginOptionsError(NAME, [{ pointer: `${pointer}${s ? '/schedule' : ''}`, expected: (e as Error).message, received: s ?? settings.finalSparsity }]);
  }
}

/** `config` without its undefined entries, so that they do not hide defaults. */
function definedOnly<T extends object>(config: T): T {
  return Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)) as T;
}

/** The schedule the shortcut options mean: polynomial decay when `endStep` is given, else constant sparsity forever. */
function shortcutSchedule(settings: PruneSettings): PruneScheduleConfig {
  const { finalSparsity, initialSparsity, beginStep, endStep, power, frequency } = settings;
  if (finalSparsity === undefined) throw new Error('give finalSparsity (with endStep for polynomial decay), a schedule, or nm');
  if (endStep !== undefined && endStep !== -1) {
    return { type: 'polynomialDecay', initialSparsity, finalSparsity, beginStep, endStep, power, frequency };
  }
  return { type: 'constantSparsity', targetSparsity: finalSparsity, beginStep, endStep: -1, frequency };
}

/** Last step at which a built-in schedule can prune; null when it never ends or cannot tell (custom schedules). */
function scheduleEnd(schedule: PruningSchedule): number | null {
  const end = (schedule.getConfig().config as { endStep?: unknown }).endStep;
  return typeof end === 'number' && end >= 0 ? end : null;
}

/** Block and N:M modes constrain the kernel's rank; say so at apply time, naming the weight. */
function checkStructure(weight: TargetWeight, settings: PruneSettings): void {
  if (settings.block && weight.shape.length !== 2) {
    throw new TargetError(`${NAME}: block sparsity needs a rank-2 kernel, but '${weight.id}' has shape [${weight.shape}]; exclude it or give it its own settings in 'layers'`);
  }
  if (settings.block && settings.nm) throw new TargetError(`${NAME}: '${weight.id}' has both block and nm settings; choose one`);
  if (settings.nm && weight.shape.length !== 2 && weight.shape.length !== 4) {
    throw new TargetError(`${NAME}: N:M sparsity supports Dense [in, out] and Conv2D [h, w, in, out] kernels, but '${weight.id}' has shape [${weight.shape}]`);
  }
}

function updateMask(session: PluginContext, t: PruneTarget, step: number): void {
  const latent = t.weight.latent;
  if (!latent) return;
  if (t.settings.nm) {
    // TFMOT computes the N:M mask once, at the first training step, and freezes it.
    if (t.established) return;
    const { mask } = nmMask(latent, { ...pruneDefaults.nm, ...definedOnly(t.settings.nm), label: t.weight.id });
    replaceMask(t, mask);
    session.markDirty(t.weight.id);
    establish(session, t);
    return;
  }
  const decision = recomputeAt(t, step);
  if (decision) {
    const opts = { exactTies: t.settings.exactTies ?? pruneDefaults.settings.exactTies, label: t.weight.id };
    const { mask } = t.settings.block
      ? blockMask(latent, decision.sparsity, {
          ...opts,
          blockSize: [t.settings.block.size[0], t.settings.block.size[1]],
          pooling: t.settings.block.pooling === 'max' ? 'MAX' : 'AVG',
        })
      : magnitudeMask(latent, decision.sparsity, opts);
    replaceMask(t, mask);
    session.markDirty(t.weight.id);
  }
  if (t.endStep !== null && step >= t.endStep && !t.established && t.mask) establish(session, t);
}

/**
 * The schedule's decision when the mask of `t` is recomputed at `step` — when its schedule says so
 * (TFMOT's gate) and, always, at the schedule's end step — or null.
 *
 * Porting note: TFMOT recomputes masks only at `beginStep + k·frequency`, so an `endStep` that is
 * not on that grid (`endStep: 8` with the default `frequency` of 100) never reaches
 * `finalSparsity` — often never prunes at all. Here the end step always applies the final mask.
 */
function recomputeAt(t: PruneTarget, step: number): PruningDecision | null {
  if (t.established || !t.resolved || step < 1) return null;
  const decision = t.resolved.at(step);
  return step === t.endStep || decision.shouldPrune ? decision : null;
}

/**
 * The last step of the run `trainBegin` starts, when the loop says how long it is (`fit` and
 * `fitDataset` with known epoch length); null otherwise (custom loops).
 */
function plannedLastStep(session: PluginContext, params: Record<string, unknown>): number | null {
  const epochs = params['epochs'];
  const initialEpoch = typeof params['initialEpoch'] === 'number' ? params['initialEpoch'] : 0;
  if (typeof epochs !== 'number' || session.stepsPerEpoch === null) return null;
  return session.step + Math.max(0, epochs - initialEpoch) * session.stepsPerEpoch;
}

/**
 * Says before training, once per weight, when the run ends before the schedule reaches its
 * sparsity — rather than after a whole stage trained for nothing.
 */
function warnIfRunMissesSchedule(session: PluginContext, targets: readonly PruneTarget[], lastStep: number | null, warned: Set<string>): void {
  if (lastStep === null) return;
  const short: string[] = [];
  const never: string[] = [];
  for (const t of targets) {
    if (!t.resolved || t.established || warned.has(t.weight.id)) continue;
    if (t.endStep !== null && t.endStep > lastStep) short.push(t.weight.id);
    else if (t.endStep === null && !t.mask && !anyRecompute(t, session.step + 1, lastStep)) never.push(t.weight.id);
  }
  for (const id of [...short, ...never]) warned.add(id);
  // Per-layer rules can give weights different end steps: one sentence per end step.
  const byEnd = new Map<number, string[]>();
  for (const id of short) {
    const end = targets.find((t) => t.weight.id === id)!.endStep!;
    byEnd.set(end, [...(byEnd.get(end) ?? []), id]);
  }
  for (const [end, ids] of byEnd) {
    session.warn(
      `${NAME}: this run ends at step ${lastStep}, before the schedule's end step ${end} for ${ids.join(', ')}; ` +
        `their final sparsity is applied only if training continues to step ${end} (lower endStep, or train longer)`,
    );
  }
  if (never.length > 0) {
    session.warn(
      `${NAME}: no mask update of the schedule falls in steps ${session.step + 1}..${lastStep} for ${never.join(', ')}; ` +
        `nothing will be pruned in this run (give endStep, or a frequency of at most ${lastStep - session.step})`,
    );
  }
}

function anyRecompute(t: PruneTarget, from: number, to: number): boolean {
  // Bounded: a forever schedule's gate repeats every `frequency` steps, and runs are finite.
  for (let s = from; s <= to; s++) if (recomputeAt(t, s)) return true;
  return false;
}

function replaceMask(t: PruneTarget, mask: tf.Tensor): void {
  t.mask?.dispose();
  t.mask = tf.keep(mask);
}

function establish(session: PluginContext, t: PruneTarget): void {
  session.state.establish(t.weight.id, SparsityInvariant, { mask: tf.keep(tf.clone(t.mask!)) }, NAME);
  t.established = true;
}

/** Realised sparsity of the projected weights, per layer and overall. */
function measure(targets: readonly PruneTarget[], step: number, epoch: number): SparsityReport {
  const perLayer = new Map<string, { zeros: number; size: number }>();
  let zeros = 0;
  let size = 0;
  for (const t of targets) {
    const z = tf.tidy(() => tf.sum(tf.equal(t.weight.value(), 0).asType('int32')).dataSync()[0]);
    const entry = perLayer.get(t.weight.layer.name) ?? { zeros: 0, size: 0 };
    entry.zeros += z;
    entry.size += t.weight.size;
    perLayer.set(t.weight.layer.name, entry);
    zeros += z;
    size += t.weight.size;
  }
  const layers: Record<string, number> = {};
  for (const [name, e] of perLayer) layers[name] = e.zeros / e.size;
  return { step, epoch, layers, overall: size === 0 ? 0 : zeros / size };
}
