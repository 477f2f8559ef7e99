import { describeValue, metadataOf, PluginOptionsError, type Plugin } from '@collabopt/core';
import { getFileExporter, type FileExporter } from '@collabopt/plugins';
import { builtinModels } from '../models/builtinModels';
import type { RecipeIssue } from '../errors/RecipeValidationError';
import type { RecipePluginFactory } from '../schema/recipePlugins';

/** Sizes of the built-in datasets' splits (MNIST and Fashion-MNIST are the same). */
const BUILTIN_SIZES = { train: 60000, test: 10000 } as const;

/** Stage names that would collide with what a runner saves next to the stages. */
const RESERVED_STAGE_NAMES = ['baseline'];

/**
 * The checks JSON Schema cannot express, reported in the same format as schema issues. Runs on
 * the defaults-filled copy, also when the schema found problems (every check guards the shapes it
 * reads), so one run reports everything; plugin and exporter options are only re-checked where
 * the schema found no problem below them.
 *
 * @param recipe - the (possibly invalid) recipe, defaults filled in where the schema could.
 * @param schemaProblems - pointers of the schema issues found, to skip what is already reported.
 * @param plugins - the plugin registry, to instantiate each entry once with its options.
 */
export function crossFieldIssues(recipe: unknown, schemaProblems: readonly string[], plugins: ReadonlyMap<string, RecipePluginFactory>): RecipeIssue[] {
  const issues: RecipeIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  const clean = (path: string) => !schemaProblems.some((p) => p === path || p.startsWith(`${path}/`));
  if (!isObject(recipe)) return issues;

  const model = isObject(recipe.model) ? recipe.model : {};
  const data = isObject(recipe.data) ? recipe.data : {};
  const stages = Array.isArray(recipe.stages) ? recipe.stages : [];
  const exports = Array.isArray(recipe.exports) ? recipe.exports : [];

  // Baseline: needed by built-in models (they start untrained); trains for epochs or steps.
  if (typeof model.builtin === 'string' && builtinModels[model.builtin] && recipe.baseline === undefined) {
    add('/baseline', `missing: the built-in model "${model.builtin}" starts untrained; give a baseline such as { "epochs": 4 }`);
  }
  if (isObject(recipe.baseline)) {
    checkEpochsOrSteps(recipe.baseline, '/baseline', add);
    if (recipe.baseline.epochs === undefined && recipe.baseline.steps === undefined) {
      add('/baseline/epochs', 'missing: the baseline trains for "epochs" (>= 1) or "steps"');
    } else if (recipe.baseline.epochs === 0 && recipe.baseline.steps === undefined) {
      add('/baseline/epochs', 'expected an integer >= 1 (the baseline trains), found 0');
    }
  }

  // Data: `dir` belongs to built-in datasets; sample counts cannot exceed the built-in splits.
  if (data.module !== undefined && data.dir !== undefined) {
    add('/data/dir', 'only for built-in datasets ("dataset"); a data module reads its own files');
  }
  if (typeof data.dataset === 'string') {
    const limits: [string, number, string][] = [
      ['trainSamples', BUILTIN_SIZES.train, 'training set'],
      ['testSamples', BUILTIN_SIZES.test, 'test set'],
      ['representativeSamples', BUILTIN_SIZES.train, 'training set (representative samples come from it)'],
    ];
    for (const [key, size, split] of limits) {
      const n = data[key];
      if (typeof n === 'number' && n > size) add(`/data/${key}`, `expected at most ${size} (the size of ${data.dataset}'s ${split}), found ${n}`);
    }
  }

  // Stages: unique names, epochs or steps, and what each plugin's metadata says about training
  // and calibration (e.g. post-training quantization calibrates and does not train).
  const names = new Map<string, number>();
  let emulates = false;
  let unknownPlugins = false;
  stages.forEach((stage, i) => {
    if (!isObject(stage)) return;
    const at = `/stages/${i}`;
    if (typeof stage.name === 'string') {
      const key = stage.name.toLowerCase();
      const first = names.get(key);
      if (first !== undefined) {
        add(`${at}/name`, `duplicate stage name "${stage.name}": /stages/${first}/name has it already (names are compared ignoring case: they name directories)`);
      } else {
        names.set(key, i);
      }
      if (RESERVED_STAGE_NAMES.includes(key)) add(`${at}/name`, `"${stage.name}" is reserved for the baseline model; name the stage after what it does`);
    }
    checkEpochsOrSteps(stage, at, add);
    const trains = (typeof stage.epochs === 'number' && stage.epochs > 0) || stage.steps !== undefined;
    if (typeof stage.trainSamples === 'number') {
      const available = typeof data.trainSamples === 'number' ? data.trainSamples : typeof data.dataset === 'string' ? BUILTIN_SIZES.train : undefined;
      const from = typeof data.trainSamples === 'number' ? '/data/trainSamples' : `${data.dataset}'s training set`;
      if (available !== undefined && stage.trainSamples > available) add(`${at}/trainSamples`, `expected at most ${available} (the training samples of ${from}), found ${stage.trainSamples}`);
      if (!trains) add(`${at}/trainSamples`, 'only for a stage that trains (give epochs or steps); this stage does not train');
    }
    const entries = Array.isArray(stage.plugins) ? stage.plugins : [];
    entries.forEach((entry, j) => {
      if (!isObject(entry) || typeof entry.plugin !== 'string') return;
      const entryAt = `${at}/plugins/${j}`;
      const factory = plugins.get(entry.plugin);
      const made = factory && clean(entryAt) ? makePlugin(factory, entry, entryAt) : { plugin: null, issues: [] };
      issues.push(...made.issues);
      if (!made.plugin) {
        unknownPlugins = true;
        return;
      }
      const meta = metadataOf(made.plugin);
      emulates ||= meta.emulatesInference;
      const label = meta.explain?.label ?? made.plugin.name;
      if (meta.training === 'forbidden' && trains) {
        const key = stage.steps !== undefined ? 'steps' : 'epochs';
        add(`${at}/${key}`, `${label} (${entryAt}) ${meta.explain?.training ?? 'is a plugin that'} does not train; expected no ${key}, found ${describeValue(stage[key])}`);
      }
      if (meta.training === 'required' && !trains) {
        add(`${at}/epochs`, `missing: ${label} (${entryAt}) ${meta.explain?.training ?? 'needs a stage that trains; give epochs (or steps)'}`);
      }
      if (meta.calibration && stage.calibrate === undefined) {
        add(`${at}/calibrate`, `missing: ${label} (${entryAt}) ${meta.explain?.calibration ?? 'calibrates on representative data'}; add "calibrate": {}`);
      }
    });
  });

  // Exports: unique targets in the output directory; what each exporter's variant needs.
  const targets = new Map<string, number>();
  exports.forEach((spec, i) => {
    if (!isObject(spec) || typeof spec.format !== 'string') return;
    const at = `/exports/${i}`;
    let exporter: FileExporter;
    try {
      exporter = getFileExporter(spec.format);
    } catch {
      return; // the schema reports the unknown format
    }
    const key = exporter.targetKey;
    const target = spec[key];
    if (typeof target === 'string') {
      const first = targets.get(target.toLowerCase());
      if (first !== undefined) {
        add(`${at}/${key}`, `writes "${target}", as /exports/${first} does already (names are compared ignoring case); give one of them another "${key}"`);
      } else {
        targets.set(target.toLowerCase(), i);
      }
    }
    const variant = typeof spec[exporter.variantKey] === 'string' ? (spec[exporter.variantKey] as string) : exporter.variants[0];
    const needs = exporter.needsEmulation(variant);
    if (needs !== null && !emulates && !unknownPlugins && stages.length > 0) add(`${at}/${exporter.variantKey}`, needs);
    if (clean(at)) {
      const { format: _format, [key]: _target, [exporter.variantKey]: _variant, ...options } = spec;
      issues.push(...optionIssues(() => exporter.checkOptions(variant, options), { ...options, [exporter.variantKey]: variant }, at));
    }
  });
  return issues;
}

function checkEpochsOrSteps(spec: Record<string, unknown>, at: string, add: (path: string, message: string) => void): void {
  if (spec.epochs !== undefined && spec.steps !== undefined) add(`${at}/steps`, 'give "epochs" or "steps", not both');
}

/** Makes the plugin once, so its own checks (schedule semantics, ...) run before any training; the plugin, or null with the issues. */
function makePlugin(factory: RecipePluginFactory, entry: Record<string, unknown>, at: string): { plugin: Plugin<unknown> | null; issues: RecipeIssue[] } {
  const { plugin: _plugin, ...options } = entry;
  let plugin: Plugin<unknown> | null = null;
  const issues = optionIssues(() => (plugin = factory(options)), options, at);
  return { plugin, issues };
}

/**
 * Runs `make` and turns the option errors it throws into issues. Plugins phrase checks beyond
 * JSON Schema as sentences ("endStep must be a step >= beginStep (100), received 10"), sometimes
 * against the whole options object; such an issue is pointed at the option the sentence names.
 */
function optionIssues(make: () => unknown, options: Record<string, unknown>, at: string): RecipeIssue[] {
  try {
    make();
    return [];
  } catch (e) {
    if (!(e instanceof PluginOptionsError)) return [{ path: at, message: `${(e as Error).message}` }];
    return e.issues.map((i) => {
      // Schema-style issues read "expected <what>, found <value>"; sentences about the options as
      // a whole, or with a "must", are shown as the plugin wrote them.
      const sentence = /\bmust\b/.test(i.expected) || i.pointer === '';
      if (!sentence) return { path: `${at}${i.pointer}`, message: `expected ${i.expected}, found ${describeValue(i.received, { missing: true })}` };
      const named = i.pointer === '' ? Object.keys(options).find((k) => new RegExp(`\\b${k} must\\b`).test(i.expected)) : undefined;
      return { path: `${at}${i.pointer}${named ? `/${named}` : ''}`, message: `${e.plugin}: ${i.expected}` };
    });
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
