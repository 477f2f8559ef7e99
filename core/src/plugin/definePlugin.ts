import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { PluginOptionsError, type OptionIssue } from '../errors/PluginOptionsError';
import { closestMatch } from '../util/closestMatch';
import type { JsonValue } from '../invariants/Invariant';
import type { PluginContext } from './PluginContext';
import type { Plugin, PluginInvariants } from './Plugin';
import { DEFAULT_PLUGIN_METADATA, type PluginMetadata } from './PluginMetadata';

/**
 * The body a plugin definition builds from validated options.
 * @group Plugins
 */
export interface PluginBody {
  /** Taps the session's hooks through its context (see {@link Plugin.apply}). */
  apply(ctx: PluginContext): void;
  /** State to save with a running session, for resume (see {@link Plugin.saveState}). */
  saveState?(): JsonValue;
  /** Restores what `saveState` returned (see {@link Plugin.loadState}). */
  loadState?(state: JsonValue): void;
  /** Releases what the plugin holds when its session is disposed (see {@link Plugin.dispose}). */
  dispose?(): void;
}

/**
 * Input of {@link definePlugin}.
 * @group Plugins
 */
export interface PluginDefinition<O> {
  /** Plugin name, e.g. `'prune'`. */
  readonly name: string;
  /** JSON Schema for the options object; `default`s are filled in; unknown keys should be rejected (`additionalProperties: false`). */
  readonly optionsSchema: Record<string, unknown>;
  /** Invariant declarations, fixed or computed from the validated options. */
  readonly invariants: PluginInvariants | ((options: O) => PluginInvariants);
  /** What the runner needs to know (training, calibration, emulation), fixed or computed from the options. Default {@link DEFAULT_PLUGIN_METADATA}. */
  readonly metadata?: PluginMetadata | ((options: O) => PluginMetadata);
  /** Builds the plugin body from validated options. Further checks that JSON Schema cannot express throw here. */
  create(options: O): PluginBody;
  /**
   * Top-level option keys that may also hold code objects (e.g. a custom pruning schedule with
   * methods). Such a value skips JSON Schema validation and reaches `create` as given; the plugin
   * validates it. JSON values of these keys are validated as usual. Recipes can only use JSON.
   */
  readonly passThrough?: readonly string[];
}

/**
 * A function that makes a plugin from (partial) options, e.g. `prune({ finalSparsity: 0.5 })`.
 * @group Plugins
 */
export type PluginFactory<O, I = Partial<O>> = ((options?: I) => Plugin<O>) & {
  /** The name of the plugins it makes (recipes look factories up by it). */
  readonly pluginName: string;
  /** The JSON Schema of the options (recipes embed it in the recipe schema). */
  readonly optionsSchema: Readonly<Record<string, unknown>>;
};

// One validator instance for all plugin schemas; `useDefaults` fills defaults into a copy of the
// user's options, never into the object they passed.
const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true, allowUnionTypes: true, verbose: true });
const compiled = new WeakMap<object, ValidateFunction>();

/**
 * Defines a plugin factory whose options are validated with ajv against `optionsSchema` when the
 * plugin is made, so a bad option fails at the call site, naming the plugin, the JSON pointer,
 * what was expected and what was received.
 * @group Plugins
 */
export function definePlugin<O, I = Partial<O>>(definition: PluginDefinition<O>): PluginFactory<O, I> {
  const factory = (input?: I): Plugin<O> => {
    const raw = { ...((input ?? {}) as Record<string, unknown>) };
    const code: Record<string, unknown> = {};
    for (const key of definition.passThrough ?? []) {
      if (hasFunctions(raw[key])) {
        code[key] = raw[key];
        delete raw[key];
      }
    }
    const options = { ...validatePluginOptions<O>(definition.name, definition.optionsSchema, raw), ...code } as O;
    const invariants = typeof definition.invariants === 'function' ? definition.invariants(options) : definition.invariants;
    const metadata = typeof definition.metadata === 'function' ? definition.metadata(options) : (definition.metadata ?? DEFAULT_PLUGIN_METADATA);
    const body = definition.create(options);
    const plugin: Plugin<O> = {
      name: definition.name,
      options: deepFreeze(options),
      optionsSchema: definition.optionsSchema,
      invariants: Object.freeze({
        establishes: Object.freeze([...invariants.establishes]),
        preserves: Object.freeze([...invariants.preserves]),
        requires: Object.freeze([...invariants.requires]),
        // Only when declared: plugins without traits keep their three-list shape.
        ...(invariants.traits?.length ? { traits: Object.freeze([...invariants.traits]) } : {}),
      }),
      metadata: Object.freeze({ ...DEFAULT_PLUGIN_METADATA, ...metadata }),
      apply: (ctx) => body.apply(ctx),
      ...(body.saveState ? { saveState: () => body.saveState!() } : {}),
      ...(body.loadState ? { loadState: (s: JsonValue) => body.loadState!(s) } : {}),
      ...(body.dispose ? { dispose: () => body.dispose!() } : {}),
    };
    return Object.freeze(plugin);
  };
  return Object.assign(factory, { pluginName: definition.name, optionsSchema: definition.optionsSchema });
}

/**
 * Validates `input` against `schema`, returning a defaults-filled deep copy.
 * @throws PluginOptionsError listing every issue.
 * @group Plugins
 */
export function validatePluginOptions<O>(plugin: string, schema: Record<string, unknown>, input: unknown): O {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  const unfit = nonJsonIssues(input, '', []);
  if (unfit.length > 0) throw new PluginOptionsError(plugin, unfit);
  const copy = structuredCloneJson(input);
  if (!validate(copy)) {
    throw new PluginOptionsError(plugin, toIssues(validate.errors ?? [], copy));
  }
  return copy as O;
}

function toIssues(errors: ErrorObject[], data: unknown): OptionIssue[] {
  // `allErrors` reports every failing branch of oneOf/anyOf; keep the most specific ones.
  const issues: OptionIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    let pointer = e.instancePath;
    let expected = e.message ?? 'a valid value';
    let received = resolvePointer(data, pointer);
    if (e.keyword === 'required') {
      pointer = `${pointer}/${(e.params as { missingProperty: string }).missingProperty}`;
      expected = 'a value (required)';
      received = undefined;
    } else if (e.keyword === 'additionalProperty' || e.keyword === 'additionalProperties') {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      const parent = resolvePointer(data, e.instancePath);
      pointer = `${pointer}/${extra}`;
      received = (parent as Record<string, unknown>)[extra];
      const known = Object.keys(((e.parentSchema as { properties?: object })?.properties ?? {}) as object);
      const guess = closestMatch(extra, known);
      expected = `no option '${extra}'${guess ? ` (did you mean '${guess}'?)` : ''}; known options: ${known.join(', ')}`;
    } else if (e.keyword === 'enum') {
      expected = `one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    } else if (e.keyword === 'const') {
      expected = `exactly ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
    } else if (e.keyword === 'type') {
      expected = `a value of type ${(e.params as { type: string }).type}`;
    } else {
      expected = expected.replace(/^must (be )?/, '');
    }
    const key = `${pointer}|${expected}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push({ pointer, expected, received });
    }
  }
  return issues;
}

function resolvePointer(data: unknown, pointer: string): unknown {
  if (!pointer) return data;
  let cur: unknown = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/**
 * Where `value` is not JSON data: functions (JSON would drop them silently and the default would
 * apply; code goes through the options a plugin declares as `passThrough`) and circular references
 * (JSON would throw a bare TypeError), each with its JSON pointer.
 */
function nonJsonIssues(value: unknown, pointer: string, stack: object[]): OptionIssue[] {
  if (typeof value === 'function') return [{ pointer, expected: 'JSON data, not a function (this option is not one the plugin takes code for)', received: value }];
  if (value === null || typeof value !== 'object') return [];
  if (stack.includes(value)) return [{ pointer, expected: 'JSON data without a circular reference', received: '(circular reference)' }];
  const issues: OptionIssue[] = [];
  stack.push(value);
  for (const [k, v] of Object.entries(value)) issues.push(...nonJsonIssues(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, stack));
  stack.pop();
  return issues;
}

/** Options are JSON data (checked by `nonJsonIssues` first); non-finite numbers become strings the schema rejects by name. */
function structuredCloneJson(input: unknown): unknown {
  if (input === undefined) return {};
  return JSON.parse(JSON.stringify(input, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)));
}

function hasFunctions(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (!value || typeof value !== 'object') return false;
  for (let o: object | null = value as object; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    if (Object.getOwnPropertyNames(o).some((k) => k !== 'constructor' && typeof (value as Record<string, unknown>)[k] === 'function')) return true;
  }
  return false;
}

/** Freezes plain data (objects and arrays) deeply; code objects from `passThrough` are left alone. */
function deepFreeze<T>(value: T): T {
  if (Array.isArray(value) || (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)) {
    Object.values(value as object).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
