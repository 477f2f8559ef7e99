import type { Selector } from './Selector';

/**
 * Which layers/weights a plugin applies to. Without `include`, every weight the plugin supports by
 * default (kernels; never biases). `exclude` wins over `include`.
 * @group Targeting
 */
export interface TargetSpec {
  /** Select only these layers or weights (default: everything the plugin supports by default). */
  readonly include?: readonly Selector[];
  /** Never target these layers or weights; wins over `include`. */
  readonly exclude?: readonly Selector[];
}

/**
 * A per-layer settings rule: the weights matched by `select` get `settings` instead of the defaults.
 * @group Targeting
 */
export interface TargetRule<S> {
  /** The layers or weights the rule applies to. */
  readonly select: readonly Selector[];
  /** Their settings, overriding the plugin-wide ones. */
  readonly settings: S;
}

/**
 * JSON Schema fragment for a selector, for plugin option schemas.
 * @group Targeting
 * @jsonSchema
 */
export const selectorSchema = {
  anyOf: [
    { type: 'string', minLength: 1 },
    { type: 'object', properties: { className: { type: 'string', minLength: 1 } }, required: ['className'], additionalProperties: false },
  ],
} as const;

/**
 * JSON Schema fragment for `include` / `exclude` lists.
 * @group Targeting
 * @jsonSchema
 */
export const selectorListSchema = { type: 'array', items: selectorSchema } as const;

/**
 * JSON Schema properties for a plugin's targeting options: `include`, `exclude`, and per-layer
 * rules `layers: [{ select: [...selectors], ...settings }]` whose settings follow
 * `settingsProperties` (the plugin's own per-layer options).
 * @group Targeting
 * @jsonSchema
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
