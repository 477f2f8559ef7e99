import type { JsonSchema } from './JsonSchema';

/**
 * `oneOf` branches that require exactly one of `keys` (each branch also names its key in
 * `properties`, as ajv's strict mode wants every required key declared). The error translator
 * recognises this shape and reports "exactly one of ..." instead of one error per branch.
 */
export function exactlyOneOf(keys: readonly string[]): { oneOf: JsonSchema[] } {
  return { oneOf: keys.map((key) => ({ required: [key], properties: { [key]: true } })) };
}
