import { describeValue, PluginOptionsError } from '@collabopt/core';
import { resolveTfliteExportOptions } from '@collabopt/plugins';
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

  // Stages: unique names, epochs or steps, post-training quantization calibrates and does not train.
  const names = new Map<string, number>();
  let quantizes = false;
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
    const entries = Array.isArray(stage.plugins) ? stage.plugins : [];
    entries.forEach((entry, j) => {
      if (!isObject(entry) || typeof entry.plugin !== 'string') return;
      const entryAt = `${at}/plugins/${j}`;
      if (entry.plugin === 'quantize') {
        quantizes = true;
        if (entry.mode === 'ptq') {
          if (trains) {
            const key = stage.steps !== undefined ? 'steps' : 'epochs';
            add(`${at}/${key}`, `a post-training quantization stage (quantize mode "ptq" at ${entryAt}) does not train; expected no ${key}, found ${describeValue(stage[key])}`);
          }
          if (stage.calibrate === undefined) {
            add(`${at}/calibrate`, `missing: quantize in "ptq" mode (${entryAt}) takes its ranges from calibration; add "calibrate": {}`);
          }
        } else if (!trains && clean(entryAt)) {
          add(`${at}/epochs`, `missing: quantize in "qat" mode (${entryAt}) learns its ranges while training; give epochs (or steps), or use mode "ptq" with "calibrate"`);
        }
      }
      const factory = plugins.get(entry.plugin);
      if (factory && clean(entryAt)) issues.push(...pluginIssues(factory, entry, entryAt));
    });
  });

  // Exports: unique targets in the output directory; int8 needs a quantize stage.
  const targets = new Map<string, number>();
  exports.forEach((spec, i) => {
    if (!isObject(spec)) return;
    const at = `/exports/${i}`;
    const key = spec.format === 'tfjs' ? 'dir' : 'file';
    const target = spec[key];
    if (typeof target === 'string') {
      const first = targets.get(target.toLowerCase());
      if (first !== undefined) {
        add(`${at}/${key}`, `writes "${target}", as /exports/${first} does already (names are compared ignoring case); give one of them another "${key}"`);
      } else {
        targets.set(target.toLowerCase(), i);
      }
    }
    if (spec.format === 'tflite' && spec.mode === 'int8' && !quantizes && stages.length > 0) {
      add(`${at}/mode`, 'int8 needs int8 weights and activation ranges: add a stage with the quantize plugin (QAT, or mode "ptq" with "calibrate")');
    }
    if (spec.format === 'tflite' && clean(at)) {
      const { format: _format, file: _file, ...options } = spec;
      issues.push(...optionIssues(() => resolveTfliteExportOptions(options), options, at));
    }
  });
  return issues;
}

function checkEpochsOrSteps(spec: Record<string, unknown>, at: string, add: (path: string, message: string) => void): void {
  if (spec.epochs !== undefined && spec.steps !== undefined) add(`${at}/steps`, 'give "epochs" or "steps", not both');
}

/** Makes the plugin once, so its own checks (schedule semantics, ...) run before any training. */
function pluginIssues(factory: RecipePluginFactory, entry: Record<string, unknown>, at: string): RecipeIssue[] {
  const { plugin: _plugin, ...options } = entry;
  return optionIssues(() => factory(options), options, at);
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
      if (!sentence) return { path: `${at}${i.pointer}`, message: `expected ${i.expected}, found ${describeValue(i.received)}` };
      const named = i.pointer === '' ? Object.keys(options).find((k) => new RegExp(`\\b${k} must\\b`).test(i.expected)) : undefined;
      return { path: `${at}${i.pointer}${named ? `/${named}` : ''}`, message: `${e.plugin}: ${i.expected}` };
    });
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
