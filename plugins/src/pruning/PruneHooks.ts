import { SyncHook } from 'tapable';
import type { Session } from '@collabopt/core';

/** Realised sparsity of the pruned weights at the end of an epoch. */
export interface SparsityReport {
  readonly step: number;
  readonly epoch: number;
  /** Layer name → fraction of exact zeros over its pruned weights. */
  readonly layers: Readonly<Record<string, number>>;
  /** Fraction of exact zeros over all pruned weights. */
  readonly overall: number;
}

/** Hooks the `prune` plugin offers to other plugins (webpack's plugin-owned hooks pattern). */
export interface PruneHooks {
  /** At every `epochEnd` (Stage.REPORT), after the same numbers were written into the epoch logs. */
  readonly sparsity: SyncHook<[SparsityReport]>;
}

const registry = new WeakMap<Session, PruneHooks>();

/** The `prune` hooks of a session (created on first use, so observers can tap before or after `prune` applies). */
export function getPruneHooks(session: Session): PruneHooks {
  let hooks = registry.get(session);
  if (!hooks) {
    hooks = Object.freeze({ sparsity: new SyncHook<[SparsityReport]>(['report'], 'prune.sparsity') });
    registry.set(session, hooks);
  }
  return hooks;
}
