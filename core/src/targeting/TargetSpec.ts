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

/**
 * JSON Schema properties for a plugin's targeting options: `include`, `exclude`, and per-layer
 * rules `layers: [{ select: [...selectors], ...settings }]` whose settings follow
 * `settingsProperties` (the plugin's own per-layer options).
 */
export function targetingSchema(settingsProperties: Readonly<Record<string, unknown>>) {
  return {
    include: selectorListSchema,
    exclude: selectorListSchema,
    layers: {
      type: 'array',
      items: {
        type: 'object',
        properties: { select: { ...selectorListSchema, minItems: 1 }, ...settingsProperties },
        required: ['select'],
        additionalProperties: false,
      },
    },
  } as const;
}
