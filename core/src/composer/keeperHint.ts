import { getInvariant } from '../invariants/InvariantRegistry';

/**
 * How to get invariant `name` into a session, for composition errors: the invariant's own `hint`,
 * or a generic sentence when it has none. The composer names no plugin itself.
 * @group Composition
 */
export function keeperHint(name: string): string {
  return getInvariant(name).hint ?? `add a plugin that establishes '${name}'`;
}
