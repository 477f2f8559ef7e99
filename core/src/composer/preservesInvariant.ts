import { getInvariant } from '../invariants/InvariantRegistry';
import type { Plugin } from '../plugin/Plugin';

/**
 * Whether `plugin` keeps invariant `name` true when it already holds: the plugin lists it in
 * `preserves`, or its projection has a trait the invariant is `preservedBy` (so an invariant added
 * later is kept by existing plugins without editing them).
 * @group Composition
 */
export function preservesInvariant(plugin: Pick<Plugin, 'invariants'>, name: string): boolean {
  if (plugin.invariants.preserves.includes(name)) return true;
  const keptBy = getInvariant(name).preservedBy ?? [];
  return (plugin.invariants.traits ?? []).some((t) => keptBy.includes(t));
}
