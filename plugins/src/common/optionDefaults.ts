/** The keys of `P` whose schema has a `default`. */
type KeysWithDefault<P> = { [K in keyof P]: P[K] extends { readonly default: unknown } ? K : never }[keyof P];

/**
 * The defaults a set of option schemas declares, by option name: what a plugin uses for an
 * option that is omitted where validation cannot fill it in (inside a `oneOf` branch, or before
 * validation). The schema stays the one owner of each default.
 *
 * ```ts
 * optionDefaults({ bits: { type: 'integer', default: 8 }, name: { type: 'string' } }); // { bits: 8 }
 * ```
 */
export function optionDefaults<P extends Readonly<Record<string, object>>>(properties: P): { readonly [K in KeysWithDefault<P>]: P[K] extends { readonly default: infer D } ? D : never } {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(properties)) {
    if ('default' in schema) out[key] = (schema as { default: unknown }).default;
  }
  return Object.freeze(out) as never;
}
