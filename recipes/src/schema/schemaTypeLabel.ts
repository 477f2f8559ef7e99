import type { JsonSchema } from './JsonSchema';

/**
 * A schema's type in a few words, for Markdown tables (pipes escaped): `integer ≥ 1`,
 * `number in [0, 1)`, `"a" \| "b"`, `array of string`.
 */
export function schemaTypeLabel(s: JsonSchema): string {
  if ('const' in s) return `\`${JSON.stringify(s.const)}\``;
  if (Array.isArray(s.enum)) return s.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  const branches = (s.oneOf ?? s.anyOf) as JsonSchema[] | undefined;
  if (s.discriminator) return 'object';
  if (branches && s.type === undefined) return branches.map(schemaTypeLabel).join(' \\| ');
  if (s.type === 'array') return `array of ${s.items ? schemaTypeLabel(s.items as JsonSchema) : 'any'}`;
  if (s.type === 'integer' || s.type === 'number') return `${s.type}${numericRange(s)}`;
  if (s.type === 'object') {
    const tag = Object.entries((s.properties as Record<string, JsonSchema> | undefined) ?? {}).find(([, p]) => 'const' in p);
    return tag ? `object (${tag[0]} \`${JSON.stringify(tag[1].const)}\`)` : 'object';
  }
  return typeof s.type === 'string' ? s.type : 'any';
}

function numericRange(s: JsonSchema): string {
  const lo = typeof s.minimum === 'number' ? ['[', s.minimum] : typeof s.exclusiveMinimum === 'number' ? ['(', s.exclusiveMinimum] : null;
  const hi = typeof s.maximum === 'number' ? [s.maximum, ']'] : typeof s.exclusiveMaximum === 'number' ? [s.exclusiveMaximum, ')'] : null;
  if (lo && hi) return ` in ${lo[0]}${lo[1]}, ${hi[0]}${hi[1]}`;
  if (lo) return ` ${lo[0] === '[' ? '≥' : '>'} ${lo[1]}`;
  if (hi) return ` ${hi[1] === ']' ? '≤' : '<'} ${hi[0]}`;
  return '';
}
