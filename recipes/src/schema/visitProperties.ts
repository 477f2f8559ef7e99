import type { JsonSchema } from './JsonSchema';

/**
 * Calls `visit` for every named property below `schema`, depth first, with a dotted path: `a.b`
 * for properties, `a[].b` below array items; `oneOf`/`anyOf`/`allOf` branches and array items
 * are at their parent's path (only properties add a name). The visitor recurses by calling
 * `visitProperties` itself when it wants to.
 */
export function visitProperties(schema: JsonSchema, path: string, visit: (child: JsonSchema, path: string) => void): void {
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    for (const branch of (schema[key] as JsonSchema[] | undefined) ?? []) {
      if (branch && typeof branch === 'object') visitProperties(branch, path, visit);
    }
  }
  const items = schema.items as JsonSchema | undefined;
  if (items && typeof items === 'object' && !Array.isArray(items)) visitProperties(items, `${path}[]`, visit);
  for (const [key, child] of Object.entries((schema.properties as Record<string, JsonSchema> | undefined) ?? {})) {
    if (child && typeof child === 'object') visit(child, path ? `${path}.${key}` : key);
  }
}
