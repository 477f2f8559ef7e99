import { CollabError } from '../errors/CollabError';
import type { Invariant } from './Invariant';
import { PROJECTION_TRAITS } from './ProjectionTrait';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- holds invariants of every parameter type; callers narrow by name
const registry = new Map<string, Invariant<any>>();

/**
 * Makes an invariant known by name, so plugins can declare it and saved state can be decoded.
 * Built-in invariants register themselves; a custom plugin registers its own once at import.
 * Registering a different object under a taken name is an error (two meanings for one name).
 * @group Invariants
 */
export function registerInvariant<D>(invariant: Invariant<D>): Invariant<D> {
  const existing = registry.get(invariant.name);
  if (existing && existing !== invariant) {
    throw new CollabError('invariant', `an invariant named '${invariant.name}' is already registered`);
  }
  const unknown = (invariant.preservedBy ?? []).filter((t) => !PROJECTION_TRAITS.includes(t));
  if (unknown.length > 0) {
    throw new CollabError(
      'invariant',
      `invariant '${invariant.name}': unknown projection trait${unknown.length > 1 ? 's' : ''} ${unknown.map((t) => `'${t}'`).join(', ')} in preservedBy; known traits: ${PROJECTION_TRAITS.join(', ')}`,
    );
  }
  registry.set(invariant.name, invariant);
  return invariant;
}

/**
 * Looks an invariant up by name; the error lists the known names.
 * @group Invariants
 */
export function getInvariant(name: string): Invariant<unknown> {
  const inv = registry.get(name);
  if (!inv) {
    throw new CollabError(
      'invariant',
      `unknown invariant '${name}'; known invariants: ${[...registry.keys()].sort().join(', ')}. ` +
        `A custom invariant must be registered with registerInvariant() before use.`,
    );
  }
  return inv;
}

/**
 * Names of all registered invariants.
 * @group Invariants
 */
export function invariantNames(): string[] {
  return [...registry.keys()].sort();
}
