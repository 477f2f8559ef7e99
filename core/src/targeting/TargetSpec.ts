import type { Selector } from './Selector';

/**
 * Which layers/weights a plugin applies to. Without `include`, every weight the plugin supports by
 * default (kernels; never biases). `exclude` wins over `include`.
 */
export interface TargetSpec {
  readonly include?: readonly Selector[];
  readonly exclude?: readonly Selector[];
}

/** A per-layer settings rule: the weights matched by `select` get `settings` instead of the defaults. */
export interface TargetRule<S> {
  readonly select: readonly Selector[];
  readonly settings: S;
}

/** JSON Schema fragment for a selector, for plugin option schemas. */
export const selectorSchema = {
  anyOf: [
    { type: 'string', minLength: 1 },
    { type: 'object', properties: { className: { type: 'string', minLength: 1 } }, required: ['className'], additionalProperties: false },
  ],
} as const;

/** JSON Schema fragment for `include` / `exclude` lists. */
export const selectorListSchema = { type: 'array', items: selectorSchema } as const;
