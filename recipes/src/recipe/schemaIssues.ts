import type { ErrorObject } from 'ajv';
import { listFileExporters } from '@collabopt/plugins';
import { describeValue, closestMatch } from '@collabopt/core';
import type { RecipeIssue } from '../errors/RecipeValidationError';
import { describeSchema, exactlyOneOfKeys } from '../schema/describeSchema';
import type { JsonSchema } from '../schema/JsonSchema';

/** Exporter plugins, which recipes write through `exports`: plugin name → export format. */
function exporterFormat(plugin: string): string | undefined {
  return listFileExporters().find((e) => e.pluginNames.includes(plugin))?.format;
}

/** An issue decided while resolving a `oneOf`/`anyOf`, standing in for the branch errors it replaces. */
interface Decided {
  readonly keyword: '$decided';
  readonly schemaPath: string;
  readonly issue: RecipeIssue;
}

type Pending = ErrorObject | Decided;

/**
 * Translates ajv errors (compiled with `allErrors` and `verbose`) into recipe issues: a JSON
 * pointer to the offending value (for a missing or unknown key, the key itself) and a message in
 * plain language — what was expected, what was found, "did you mean" where a name is close.
 *
 * `oneOf`/`anyOf` report every failing branch; only the branch the value was meant for is kept
 * (the one whose tag or type matches), so a schedule of type `constantSparsity` is judged as
 * one, and alternatives that all fail on their tag become one "expected one of" issue.
 */
export function schemaIssues(errors: readonly ErrorObject[], data: unknown): RecipeIssue[] {
  // An `if` error only says that its `then` failed; the `then` branch's own errors say what.
  let pending: Pending[] = errors.filter((e) => e.keyword !== 'if');
  // Innermost groups first, so an outer group sees its inner groups already decided.
  const groups = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf').sort((a, b) => b.schemaPath.length - a.schemaPath.length);
  for (const group of groups) {
    const members = pending.filter((e) => e !== group && e.schemaPath.startsWith(`${group.schemaPath}/`));
    const replacement = resolveGroup(group, members, data);
    const at = pending.indexOf(members[0] ?? group);
    pending = pending.filter((e) => e !== group && !members.includes(e));
    pending.splice(Math.min(at, pending.length), 0, ...replacement);
  }
  const issues: RecipeIssue[] = [];
  const seen = new Set<string>();
  for (const e of pending) {
    const issue = e.keyword === '$decided' ? (e as Decided).issue : translate(e as ErrorObject, pending as ErrorObject[]);
    if (!issue) continue;
    const key = `${issue.path}\u0000${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

function resolveGroup(group: ErrorObject, members: Pending[], data: unknown): Pending[] {
  const branches = group.schema as JsonSchema[];
  const value = valueAt(data, group.instancePath);
  const decided = (path: string, message: string): Pending[] => [{ keyword: '$decided', schemaPath: group.schemaPath, issue: { path, message } }];

  // exactlyOneOf(keys): "give exactly one of".
  const keys = exactlyOneOfKeys(group.parentSchema as JsonSchema);
  if (keys) {
    // A value that is not an object at all already has its type error.
    if (!isObject(value)) return [];
    const present = keys.filter((k) => isObject(value) && k in value);
    const list = keys.map((k) => `"${k}"`).join(', ');
    return present.length === 0
      ? decided(group.instancePath, `missing: expected exactly one of ${list}`)
      : decided(group.instancePath, `expected exactly one of ${list}, found ${present.map((k) => `"${k}"`).join(' and ')}`);
  }

  const passing = (group.params as { passingSchemas?: number[] | null }).passingSchemas;
  if (group.keyword === 'oneOf' && Array.isArray(passing)) {
    const forms = passing.map((i) => describeSchema(branches[i])).join(' and ');
    return decided(group.instancePath, `expected exactly one of the alternatives, found a value that is ${forms} at once`);
  }
  const perBranch = branches.map((_, i) => members.filter((e) => e.schemaPath.startsWith(`${group.schemaPath}/${i}/`)));
  const tagErrors = perBranch.map((errs) =>
    errs.find((e) => e.keyword === 'const' && parentPointer(e.instancePath) === group.instancePath && e.instancePath !== group.instancePath) as ErrorObject | undefined,
  );
  const rejected = perBranch.map(
    (errs, i) => tagErrors[i] !== undefined || errs.some((e) => e.keyword === 'type' && e.instancePath === group.instancePath),
  );
  const candidates = perBranch.map((errs, i) => ({ errs, i })).filter(({ i }) => !rejected[i]);
  if (candidates.length > 0) {
    candidates.sort((a, b) => a.errs.length - b.errs.length);
    return candidates[0].errs;
  }
  // Every branch failed on its tag: one "expected one of" at the tag.
  const tagPaths = new Set(tagErrors.map((e) => e?.instancePath));
  if (tagErrors.every((e) => e !== undefined) && tagPaths.size === 1) {
    const allowed = tagErrors.map((e) => (e!.params as { allowedValue: unknown }).allowedValue);
    return decided(tagErrors[0]!.instancePath, expectedOneOf(allowed, valueAt(data, tagErrors[0]!.instancePath)));
  }
  return decided(group.instancePath, `expected ${branches.map(describeSchema).join(' or ')}, found ${found(value, true)}`);
}

function translate(e: ErrorObject, all: readonly ErrorObject[]): RecipeIssue | null {
  const at = e.instancePath;
  const parent = e.parentSchema as JsonSchema | undefined;
  switch (e.keyword) {
    case 'required': {
      const key = (e.params as { missingProperty: string }).missingProperty;
      const schema = (parent?.properties as Record<string, JsonSchema> | undefined)?.[key];
      return { path: `${at}/${escape(key)}`, message: `missing (required): expected ${describeSchema(schema)}` };
    }
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys((parent?.properties as object | undefined) ?? {});
      const guess = closestMatch(key, known);
      const hint = guess ? ` (did you mean "${guess}"?)` : '';
      const plugin = ((parent?.properties as Record<string, JsonSchema> | undefined)?.plugin as { const?: string } | undefined)?.const;
      const allowed = known.filter((k) => k !== 'plugin');
      if (allowed.length === 0) return { path: `${at}/${escape(key)}`, message: `unknown key "${key}"; nothing may be given here` };
      const what = plugin ? `unknown option "${key}" of plugin "${plugin}"${hint}; its options are` : `unknown key "${key}"${hint}; expected one of`;
      return { path: `${at}/${escape(key)}`, message: `${what} ${allowed.map((k) => `"${k}"`).join(', ')}` };
    }
    case 'dependencies': {
      const { property, missingProperty } = e.params as { property: string; missingProperty: string };
      return { path: `${at}/${escape(property)}`, message: `"${property}" is only allowed together with "${missingProperty}"` };
    }
    case 'discriminator':
      return discriminatorIssue(e, all);
    case 'type':
      return { path: at, message: `expected ${describeSchema({ type: (e.params as { type: string }).type })}, found ${found(e.data, true)}` };
    case 'enum':
      return { path: at, message: expectedOneOf((e.params as { allowedValues: unknown[] }).allowedValues, e.data) };
    case 'const':
      return { path: at, message: `expected ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}, found ${found(e.data)}` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const { comparison, limit } = e.params as { comparison: string; limit: number };
      const kind = parent?.type === 'integer' ? 'an integer' : 'a number';
      return { path: at, message: `expected ${kind} ${comparison} ${limit}, found ${found(e.data)}` };
    }
    case 'pattern':
    case 'minLength':
    case 'maxLength': {
      const limit = (e.params as { limit?: number }).limit;
      const expected =
        e.keyword === 'pattern' ? describeSchema(parent) : e.keyword === 'maxLength' ? `at most ${limit} characters` : limit === 1 ? 'a non-empty string' : `at least ${limit} characters`;
      return { path: at, message: `expected ${expected}, found ${found(e.data)}` };
    }
    case 'minItems':
    case 'maxItems': {
      const limit = (e.params as { limit: number }).limit;
      const n = Array.isArray(e.data) ? e.data.length : 0;
      const bound = e.keyword === 'minItems' ? 'at least' : 'at most';
      return { path: at, message: `expected ${bound} ${limit} ${limit === 1 ? 'entry' : 'entries'}, found ${n}` };
    }
    case 'uniqueItems': {
      const { i, j } = e.params as { i: number; j: number };
      return { path: `${at}/${i}`, message: `duplicate of ${at}/${j} (${found(Array.isArray(e.data) ? e.data[i] : undefined)}); expected each entry once` };
    }
    default:
      return { path: at, message: `expected a value that ${(e.message ?? 'is valid').replace(/^must /, 'does ')}, found ${found(e.data)}` };
  }
}

function discriminatorIssue(e: ErrorObject, all: readonly ErrorObject[]): RecipeIssue | null {
  const { error, tag, tagValue } = e.params as { error: 'tag' | 'mapping'; tag: string; tagValue?: unknown };
  const path = `${e.instancePath}/${escape(tag)}`;
  if (error === 'tag') {
    // A missing or non-string tag is already reported by `required` / `type` at the same place.
    const reported = all.some((o) => o !== e && (o.instancePath === path || (o.keyword === 'required' && o.instancePath === e.instancePath)));
    return reported ? null : { path, message: `expected a string naming the ${tag}, found ${found(tagValue, true)}` };
  }
  const branches = ((e.parentSchema as JsonSchema).oneOf as JsonSchema[]) ?? [];
  const names = branches.map((b) => (b.properties as Record<string, { const: string }>)[tag].const);
  const word = tag === 'plugin' ? 'plugin' : tag === 'format' ? 'export format' : tag === 'type' ? 'type' : tag;
  const guess = typeof tagValue === 'string' ? closestMatch(tagValue, names) : undefined;
  let message = `unknown ${word} ${found(tagValue)}${guess ? ` (did you mean "${guess}"?)` : ''}; expected one of ${names.map((n) => `"${n}"`).join(', ')}`;
  const format = tag === 'plugin' && typeof tagValue === 'string' ? exporterFormat(tagValue) : undefined;
  if (format) message += `. "${tagValue}" is an exporter: list it under "exports" as { "format": "${format}", ... }`;
  return { path, message };
}

function expectedOneOf(allowed: readonly unknown[], value: unknown): string {
  const guess = typeof value === 'string' ? closestMatch(value, allowed.filter((a): a is string => typeof a === 'string')) : undefined;
  return `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, found ${found(value)}${guess ? ` (did you mean "${guess}"?)` : ''}`;
}

/** The value as found; with its JSON type when that is the point (`"2" (a string)`). */
function found(value: unknown, withKind = false): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  const shown = describeValue(value);
  if (!withKind) return shown;
  const kind = Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : typeof value === 'string' ? 'a string' : typeof value === 'boolean' ? 'a boolean' : 'a number';
  return `${shown} (${kind})`;
}

function valueAt(data: unknown, pointer: string): unknown {
  let cur = data;
  for (const raw of pointer.split('/').slice(1)) {
    if (!isObject(cur) && !Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

function parentPointer(pointer: string): string {
  return pointer.slice(0, Math.max(0, pointer.lastIndexOf('/')));
}

function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
