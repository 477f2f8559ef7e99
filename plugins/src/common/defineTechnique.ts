import type { Technique } from './Technique';

// The techniques made by defineTechnique: `techniques` collects exactly these from the folders'
// exports, so no other exported value can be mistaken for one.
const defined = new WeakSet<object>();

/**
 * Makes a {@link Technique} (frozen) that `techniques` picks up from its folder's exports.
 * @throws Error naming the technique when its name is not a folder name, it has no plugin, or two
 *   of its plugins share a name.
 * @group Plugins
 */
export function defineTechnique(technique: Technique): Technique {
  const { name, plugins } = technique;
  if (!/^[a-z][a-zA-Z0-9-]*$/.test(name)) throw new Error(`technique '${name}': its name must be its folder's name (a lowercase letter, then letters, digits or '-')`);
  if (plugins.length === 0) throw new Error(`technique '${name}': it lists no plugin factory`);
  const names = plugins.map((f) => f.pluginName);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new Error(`technique '${name}': two plugin factories are named '${twice}'`);
  const frozen = Object.freeze({
    ...technique,
    plugins: Object.freeze([...plugins]),
    establishes: Object.freeze([...technique.establishes]),
    optionTypes: Object.freeze([...technique.optionTypes]),
  });
  defined.add(frozen);
  return frozen;
}

/** Whether `value` was made by {@link defineTechnique}. */
export function isTechnique(value: unknown): value is Technique {
  return typeof value === 'object' && value !== null && defined.has(value);
}
