import type { JsonSchema } from './JsonSchema';
import { listFileExporters } from '@collabopt/plugins';
import { exportFilePattern, recipePatterns } from './recipePatterns';

const PATTERN_PHRASES = new Map<string, string>(
  [...Object.values(recipePatterns), ...listFileExporters().flatMap((e) => (e.targetExtension === null ? [] : [exportFilePattern(e.targetExtension)]))].map((p) => [p.pattern, p.phrase]),
);

/**
 * What a schema accepts, as a short noun phrase for error messages: `an integer >= 1`,
 * `one of "adam", "sgd"`, `an object with "type": "constantSparsity"`, `an integer or a
 * non-empty string`.
 */
export function describeSchema(schema: unknown): string {
  if (schema === true || schema === undefined || schema === null || typeof schema !== 'object') return 'any value';
  const s = schema as JsonSchema;
  if ('const' in s) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return `one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}`;
  if (typeof s.pattern === 'string') return PATTERN_PHRASES.get(s.pattern) ?? `a string matching /${s.pattern}/`;
  const discriminator = (s.discriminator as { propertyName?: string } | undefined)?.propertyName;
  const branches = (s.oneOf ?? s.anyOf) as JsonSchema[] | undefined;
  if (discriminator && branches) {
    const tags = branches.map((b) => JSON.stringify((b.properties as Record<string, JsonSchema>)[discriminator].const));
    return `an object with "${discriminator}": ${tags.join(' or ')}`;
  }
  if (branches && s.type === undefined) return branches.map(describeSchema).join(' or ');
  const alternatives = exactlyOneOfKeys(s);
  if (alternatives) return `an object with one of ${alternatives.map((k) => `"${k}"`).join(', ')}`;
  switch (s.type) {
    case 'integer':
      return `an integer${range(s)}`;
    case 'number':
      return `a number${range(s)}`;
    case 'string':
      return typeof s.minLength === 'number' && s.minLength > 0 ? 'a non-empty string' : 'a string';
    case 'boolean':
      return 'true or false';
    case 'array': {
      const min = typeof s.minItems === 'number' && s.minItems > 0 ? 'a non-empty array' : 'an array';
      return s.items ? `${min} of ${plural(describeSchema(s.items))}` : min;
    }
    case 'object': {
      const tag = Object.entries((s.properties as Record<string, JsonSchema> | undefined) ?? {}).find(([, p]) => p && 'const' in p);
      if (tag) return `an object with "${tag[0]}": ${JSON.stringify(tag[1].const)}`;
      const required = (s.required as string[] | undefined) ?? [];
      return required.length > 0 ? `an object with ${required.map((k) => `"${k}"`).join(', ')}` : 'an object';
    }
    default:
      return Array.isArray(s.type) ? s.type.map((t) => describeSchema({ type: t })).join(' or ') : 'a value';
  }
}

/** The keys of an `exactlyOneOf` schema, or null. */
export function exactlyOneOfKeys(s: JsonSchema): string[] | null {
  const branches = s.oneOf as JsonSchema[] | undefined;
  if (!Array.isArray(branches) || branches.length === 0) return null;
  const keys = branches.map((b) => (Array.isArray(b.required) && b.required.length === 1 && Object.keys(b).length === 2 ? (b.required[0] as string) : null));
  return keys.every((k): k is string => k !== null) ? keys : null;
}

/** `>= 0 and < 1`, `from 2 to 8`, `> 0`, or nothing. */
function range(s: JsonSchema): string {
  const low = typeof s.minimum === 'number' ? `>= ${s.minimum}` : typeof s.exclusiveMinimum === 'number' ? `> ${s.exclusiveMinimum}` : '';
  const high = typeof s.maximum === 'number' ? `<= ${s.maximum}` : typeof s.exclusiveMaximum === 'number' ? `< ${s.exclusiveMaximum}` : '';
  if (typeof s.minimum === 'number' && typeof s.maximum === 'number') return ` from ${s.minimum} to ${s.maximum}`;
  return [low, high].filter(Boolean).length ? ` ${[low, high].filter(Boolean).join(' and ')}` : '';
}

/** `an integer` → `integers`, for "an array of ...". Phrases it cannot pluralise are kept in parentheses. */
function plural(phrase: string): string {
  if (phrase.includes(' or ')) return `(${phrase})`;
  const m = /^an? (integer|number|string|object|array|non-empty string)(.*)$/.exec(phrase);
  if (!m) return `(${phrase})`;
  return `${m[1]}s${m[2]}`;
}
