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
 * JSON Schema fragment for a selector, for plugin option schemas: the schema of {@link Selector}
 * (generated option types name it `Selector`).
 * @group Targeting
 * @jsonSchema
 */
export const selectorSchema = {
  anyOf: [
    { type: 'string', minLength: 1 },
    {
      type: 'object',
      properties: { className: { type: 'string', minLength: 1, description: 'A tfjs layer class name, as `layer.getClassName()` returns it.', examples: ['Conv2D'] } },
      required: ['className'],
      additionalProperties: false,
    },
  ],
} as const;

/**
 * JSON Schema fragment for `include` / `exclude` lists.
 * @group Targeting
 * @jsonSchema
 */
export const selectorListSchema = { type: 'array', items: selectorSchema } as const;

const SELECTORS = 'exact layer names, weight ids (`"conv1/bias"`), `"/regex/"` over layer names, or `{ "className": "Conv2D" }`';

/**
 * JSON Schema properties for a plugin's targeting options (the schema of {@link TargetSpec} plus
 * per-layer rules): `include`, `exclude`, and `layers: [{ select: [...selectors], ...settings }]`
 * whose settings follow `settingsProperties` (the plugin's own per-layer options). In a rule an
 * omitted setting keeps the plugin-wide value, so the settings' `default`s are left out there
 * (validation would otherwise fill them in and override the plugin-wide values; they stay on as
 * `examples`). `ruleExample`,
 * one rule, is the documented example of `layers`.
 * @group Targeting
 * @jsonSchema
 */
export function targetingSchema<P extends Readonly<Record<string, object>>>(settingsProperties: P, ruleExample?: Readonly<Record<string, unknown>>) {
  const ruleSettings = Object.fromEntries(
    Object.entries(settingsProperties).map(([key, schema]) => {
      if (!('default' in schema)) return [key, schema];
      // The default still shows what the setting looks like: it stays on as an example.
      const { default: value, ...rest } = schema as { default: unknown; examples?: unknown };
      return [key, { ...rest, examples: rest.examples ?? [value] }];
    }),
  ) as { readonly [K in keyof P]: Omit<P[K], 'default'> };
  return {
    include: {
      ...selectorListSchema,
      description: `Layers or weights to apply to: ${SELECTORS}. Omitted: every weight the plugin supports by default (kernels).`,
      examples: [['conv1', { className: 'Dense' }]],
    },
    exclude: {
      ...selectorListSchema,
      description: 'Layers or weights to leave alone (selectors as in `include`); wins over `include`. Omitted: none.',
      examples: [['fc2']],
    },
    layers: {
      type: 'array',
      description: 'Per-layer rules: the weights matched by a rule\'s `select` get its settings over the plugin-wide ones; a weight matched by two rules with different settings is an error. Omitted: the plugin-wide settings everywhere.',
      ...(ruleExample ? { examples: [[ruleExample]] } : {}),
      items: {
        type: 'object',
        properties: {
          select: { ...selectorListSchema, minItems: 1, description: 'The layers or weights this rule applies to (selectors as in `include`).', examples: [['fc1']] },
          ...ruleSettings,
        },
        required: ['select'],
        additionalProperties: false,
      },
    },
  } as const;
}
