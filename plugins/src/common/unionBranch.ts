/**
 * An object schema made fit to be one branch of a `oneOf`: each property's `default` moves into
 * its description (`Default: \`100\`.`) and, unless it has examples, becomes its example.
 * Validation never fills defaults inside `oneOf` (a strict ajv refuses the keyword there), so the
 * plugin applies them itself, reading them from the original schema with `optionDefaults`; the
 * branch keeps documenting them.
 */
export function unionBranch<S extends { readonly properties: Readonly<Record<string, object>> }>(
  schema: S,
): { readonly [K in keyof S]: K extends 'properties' ? { readonly [P in keyof S[K]]: Omit<S[K][P], 'default'> } : S[K] } {
  const properties = Object.fromEntries(
    Object.entries(schema.properties).map(([key, property]) => {
      if (!('default' in property)) return [key, property];
      const { default: value, description, ...rest } = property as { default: unknown; description?: string; examples?: unknown };
      return [key, { ...rest, description: `${description ? `${description} ` : ''}Default: \`${JSON.stringify(value)}\`.`, examples: rest.examples ?? [value] }];
    }),
  );
  return { ...schema, properties } as never;
}
