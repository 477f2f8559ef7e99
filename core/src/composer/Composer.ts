/**
 * The composer: decides the order of a session's plugins from their invariant declarations and
 * rejects compositions that would break an invariant (DESIGN.md §5).
 *
 * Ordering. Plugins may be listed in any order; `Composer.order` returns the same order for every
 * permutation. For each invariant X, a plugin that does not preserve X comes before X's
 * establisher, so the establisher repairs the damage; a plugin that preserves X may run on either
 * side of it. Ties are broken by name, then options, so the order is a function of the set of
 * plugins, not of the list. Plugins are applied in this order, so within one stage band their taps
 * run in it too; across bands, the bands decide (mask → cluster → fake-quant).
 *
 * Verification. After every plugin has tapped, `Composer.verify` walks each weight's actual
 * projection chain (the `project[weight]` taps in execution order) and checks, per invariant X
 * that is inherited or established on that weight, that every plugin after X's establisher
 * preserves X (lists it, or has a projection trait X is preserved by), and that X still holds at
 * the end of the chain. A trainable weight with an
 * inherited X needs a plugin that re-establishes X in this session: the optimizer moves every
 * trainable weight, so nothing else would keep X.
 */
import { CompositionError } from '../errors/CompositionError';
import { getInvariant } from '../invariants/InvariantRegistry';
import { PROJECTION_TRAITS } from '../invariants/ProjectionTrait';
import type { Plugin } from '../plugin/Plugin';
import type { OptimizationState } from '../state/OptimizationState';
import type { TargetWeight } from '../weights/TargetWeight';
import { keeperHint } from './keeperHint';
import { preservesInvariant } from './preservesInvariant';

function sortKey(p: Plugin): string {
  return `${p.name}\u0000${JSON.stringify(p.options)}`;
}

/**
 * Input of `Composer.verify`.
 * @group Composition
 */
export interface VerifyArgs {
  /** Plugins in composer order. */
  readonly plugins: readonly Plugin[];
  /** weight id → names of taps on `project[weight]`, in execution order. */
  readonly chains: ReadonlyMap<string, readonly string[]>;
  /** Inherited state (records say which stage established what). */
  readonly state: OptimizationState;
  /** Every weight of the model, by id. */
  readonly weights: ReadonlyMap<string, TargetWeight>;
  /** Whether the stage trains; if not, no weight can drift (calibration-only stages). Default true. */
  readonly trains?: boolean;
}

/**
 * Orders a session's plugins from their invariant declarations (`Composer.order`) and
 * checks each weight's projection chain against them (`Composer.verify`); `collab()` calls
 * both. See the module comment above and docs/guides/invariants.md.
 * @group Composition
 */
export const Composer = Object.freeze({
  /**
   * Orders plugins deterministically from their declarations.
   * @throws CompositionError for duplicate plugins, unknown invariants, or contradictory declarations (a cycle).
   */
  order(plugins: readonly Plugin[]): Plugin[] {
    const byName = new Map<string, Plugin>();
    for (const p of plugins) {
      if (byName.has(p.name)) {
        throw new CompositionError(
          `plugin '${p.name}' is listed twice; use one instance with per-layer rules (option 'layers') to give layers different settings`,
        );
      }
      byName.set(p.name, p);
      for (const x of [...p.invariants.establishes, ...p.invariants.preserves, ...p.invariants.requires]) {
        try {
          getInvariant(x);
        } catch (e) {
          throw new CompositionError(`plugin '${p.name}' declares ${(e as Error).message}`);
        }
      }
      for (const t of p.invariants.traits ?? []) {
        if (!PROJECTION_TRAITS.includes(t)) {
          throw new CompositionError(`plugin '${p.name}' declares an unknown projection trait '${t}'; known traits: ${PROJECTION_TRAITS.join(', ')}`);
        }
      }
    }
    const after = new Map<Plugin, Set<Plugin>>(plugins.map((p) => [p, new Set()]));
    const why = new Map<string, string>();
    const edge = (a: Plugin, b: Plugin, reason: string) => {
      if (a === b) return;
      after.get(a)!.add(b);
      why.set(`${a.name}>${b.name}`, reason);
    };
    const names = new Set(plugins.flatMap((p) => p.invariants.establishes));
    for (const x of names) {
      const est = plugins.filter((p) => p.invariants.establishes.includes(x));
      for (const p of plugins) {
        if (p.invariants.establishes.includes(x)) continue;
        if (preservesInvariant(p, x)) continue;
        for (const e of est) edge(p, e, `'${p.name}' does not preserve '${x}', so it must run before '${e.name}' establishes it`);
      }
    }
    // Kahn's algorithm, always taking the smallest key: deterministic for any listing order.
    const indegree = new Map<Plugin, number>(plugins.map((p) => [p, 0]));
    for (const succ of after.values()) for (const s of succ) indegree.set(s, indegree.get(s)! + 1);
    const ready = plugins.filter((p) => indegree.get(p) === 0);
    const out: Plugin[] = [];
    while (ready.length > 0) {
      ready.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
      const next = ready.shift()!;
      out.push(next);
      for (const s of after.get(next)!) {
        indegree.set(s, indegree.get(s)! - 1);
        if (indegree.get(s) === 0) ready.push(s);
      }
    }
    if (out.length < plugins.length) {
      const stuck = plugins.filter((p) => !out.includes(p));
      const reasons = [...why].filter(([k]) => stuck.some((a) => k.startsWith(`${a.name}>`)) && stuck.some((b) => k.endsWith(`>${b.name}`)));
      throw new CompositionError(
        `plugins ${stuck.map((p) => `'${p.name}'`).join(', ')} cannot be ordered: each breaks an invariant another establishes:\n` +
          reasons.map(([, r]) => `  - ${r}`).join('\n') +
          `\nRun them in separate stages, or configure one of them to preserve the other's invariant.`,
      );
    }
    return out;
  },

  /**
   * Checks every weight's projection chain against inherited and established invariants, and every
   * plugin's requirements.
   * @throws CompositionError naming the invariant, who established it, the offending plugin and a way out.
   */
  verify({ plugins, chains, state, weights, trains = true }: VerifyArgs): void {
    const byName = new Map(plugins.map((p) => [p.name, p]));
    const established = new Set(plugins.flatMap((p) => p.invariants.establishes));
    const active = new Set(state.activeInvariants());
    for (const p of plugins) {
      for (const x of p.invariants.requires) {
        if (!established.has(x) && !active.has(x)) {
          throw new CompositionError(
            `plugin '${p.name}' requires invariant '${x}', but no plugin in this session establishes it and no earlier stage did; ${keeperHint(x)}`,
          );
        }
      }
    }
    const ids = new Set([...chains.keys(), ...state.weightIds().filter((id) => weights.has(id))]);
    for (const id of ids) {
      const chain = (chains.get(id) ?? []).map((name) => ({ name, plugin: byName.get(name) }));
      const weight = weights.get(id)!;
      const inherited = new Map(state.recordsOf(id).map((r) => [r.invariant.name, r.establishedBy]));
      const relevant = new Set([...inherited.keys(), ...chain.flatMap((c) => c.plugin?.invariants.establishes ?? [])]);
      for (const x of relevant) {
        const from = inherited.get(x);
        // The optimizer moves a trainable weight's latent: an inherited invariant holds at the start
        // of the chain only if the weight is frozen.
        let holds = from !== undefined && !(trains && weight.trainable);
        let by = from;
        for (const { name, plugin } of chain) {
          if (plugin?.invariants.establishes.includes(x)) {
            holds = true;
            by = `plugin '${name}'`;
          } else if (holds && !(plugin && preservesInvariant(plugin, x))) {
            throw new CompositionError(
              `plugin '${name}' does not preserve invariant '${x}' on weight '${id}', which ${by} established. ` +
                `Resolve it: use a configuration of '${name}' that preserves '${x}', ${keeperHint(x)} after it, ` +
                `or release '${x}' explicitly with collab(model, plugins, { release: ['${x}'] }).`,
            );
          }
        }
        if (!holds) {
          throw new CompositionError(
            `weight '${id}' has invariant '${x}' from ${by}, but nothing in this session keeps it while training moves the weight. ` +
              `Resolve it: ${keeperHint(x)}, freeze the layer (layer.trainable = false), ` +
              `or release '${x}' explicitly with collab(model, plugins, { release: ['${x}'] }).`,
          );
        }
      }
    }
  },
});
