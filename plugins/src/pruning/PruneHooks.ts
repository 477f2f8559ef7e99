import { SyncHook } from 'tapable';
import type { PluginContext } from '@collabopt/core';

/**
 * Realised sparsity of the pruned weights at the end of an epoch.
 * @group Pruning
 */
export interface SparsityReport {
  /** Global step at the end of the epoch. */
  readonly step: number;
  /** 0-based index of the epoch that ended. */
  readonly epoch: number;
  /** Layer name → fraction of exact zeros over its pruned weights. */
  readonly layers: Readonly<Record<string, number>>;
  /** Fraction of exact zeros over all pruned weights. */
  readonly overall: number;
}

/**
 * Hooks the `prune` plugin offers to other plugins (webpack's plugin-owned hooks pattern).
 * @group Pruning
 */
export interface PruneHooks {
  /** At every `epochEnd` (Stage.REPORT), after the same numbers were written into the epoch logs. */
  readonly sparsity: SyncHook<[SparsityReport]>;
}

const registry = new WeakMap<PluginContext, PruneHooks>();

/**
 * The `prune` hooks of a session (created on first use, so observers can tap before or after `prune` applies).
 * @group Pruning
 */
export function getPruneHooks(session: PluginContext): PruneHooks {
  let hooks = registry.get(session);
  if (!hooks) {
    hooks = Object.freeze({ sparsity: new SyncHook<[SparsityReport]>(['report'], 'prune.sparsity') });
    registry.set(session, hooks);
  }
  return hooks;
}
