/**
 * Malformed recipes are rejected, each with the JSON pointer of what is wrong and a plain message.
 * Two corpora: mutations of a valid library recipe (schema and cross-field checks), and files
 * under fixtures/malformed (JSON syntax, duplicate keys, missing referenced files).
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RecipeValidationError, type RecipeIssue } from '../../recipes/src/errors/RecipeValidationError';
import { loadRecipe } from '../../recipes/src/recipe/loadRecipe';
import { validateRecipe } from '../../recipes/src/recipe/validateRecipe';

const LIBRARY = path.join(__dirname, '..', '..', 'recipes', 'library');
const MALFORMED = path.join(__dirname, 'fixtures', 'malformed');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** A mutation of a library recipe, and the issue it must produce. */
interface Case {
  readonly what: string;
  /** Library recipe to start from (default prune-pqat: prune, then sparsityConstraint + quantize). */
  readonly base?: string;
  /** Changes the recipe in place. */
  readonly mutate: (r: Json) => unknown;
  /** Validates this instead of the mutated recipe. */
  readonly replacement?: Json;
  readonly path: string;
  readonly message: RegExp;
  /** Number of issues expected (default 1: one mistake, one issue — no noise from other branches). */
  readonly issues?: number;
}

const CASES: Case[] = [
  // Top level.
  { what: 'unknown top-level key (typo)', mutate: (r) => (r.stgaes = r.stages), path: '/stgaes', message: /unknown key "stgaes" \(did you mean "stages"\?\)/ },
  { what: 'unknown top-level key', mutate: (r) => (r.output = 'out'), path: '/output', message: /unknown key "output"; expected one of "\$schema", "name"/ },
  { what: 'missing name', mutate: (r) => delete r.name, path: '/name', message: /missing \(required\)/ },
  { what: 'missing stages', mutate: (r) => delete r.stages, path: '/stages', message: /missing \(required\): expected a non-empty array/ },
  { what: 'no stages', mutate: (r) => (r.stages = []), path: '/stages', message: /expected at least 1 entry, found 0/ },
  { what: 'name of the wrong type', mutate: (r) => (r.name = 3), path: '/name', message: /expected a string, found 3 \(a number\)/ },
  { what: 'name with a slash', mutate: (r) => (r.name = 'a/b'), path: '/name', message: /letters, digits.*found "a\/b"/ },
  { what: 'malformed $schema', mutate: (r) => (r.$schema = 'schema.json'), path: '/$schema', message: /path or URL of recipe\.schema\.json.*found "schema\.json"/ },
  { what: '$schema of the wrong type', mutate: (r) => (r.$schema = true), path: '/$schema', message: /expected a string, found true \(a boolean\)/ },
  { what: 'negative seed', mutate: (r) => (r.seed = -1), path: '/seed', message: /expected an integer >= 0, found -1/ },
  { what: 'unknown backend', mutate: (r) => (r.backend = 'wsm'), path: '/backend', message: /expected one of "auto", "tensorflow", "wasm", "cpu", found "wsm" \(did you mean "wasm"\?\)/ },
  { what: 'recipe that is not an object', mutate: () => {}, replacement: [{ name: 'x' }], path: '', message: /expected an object, found \[\{"name":"x"\}\] \(an array\)/ },
  // Model.
  { what: 'model with no source', mutate: (r) => (r.model = {}), path: '/model', message: /missing: expected exactly one of "builtin", "module", "path"/ },
  { what: 'model with two sources', mutate: (r) => (r.model.path = 'out/x'), path: '/model', message: /exactly one of .*found "builtin" and "path"/ },
  { what: 'unknown built-in model', mutate: (r) => (r.model.builtin = 'mnist-cn'), path: '/model/builtin', message: /found "mnist-cn" \(did you mean "mnist-cnn"\?\)/ },
  { what: 'unknown built-in model option value', mutate: (r) => (r.model = { builtin: 'ds-cnn', options: { size: 'XL' } }), path: '/model/options/size', message: /expected one of "S", "M", "L", found "XL" \(did you mean "L"\?\)/ },
  { what: 'misspelled built-in model option', mutate: (r) => (r.model = { builtin: 'ds-cnn', options: { sise: 'L' } }), path: '/model/options/sise', message: /unknown key "sise" \(did you mean "size"\?\); expected one of "size"/ },
  { what: 'bad width multiplier', mutate: (r) => (r.model = { builtin: 'mobilenet-v1', options: { alpha: 0 } }), path: '/model/options/alpha', message: /expected a number > 0, found 0/ },
  { what: 'options for a built-in model that takes none', mutate: (r) => (r.model.options = { size: 'L' }), path: '/model/options/size', message: /unknown key "size"; nothing may be given here/ },
  { what: 'options without a built-in model', mutate: (r) => (r.model = { module: './m.js', options: {} }), path: '/model/options', message: /"options" is only allowed together with "builtin"/ },
  { what: 'misspelled model key', mutate: (r) => (r.model = { buitin: 'mnist-cnn' }), path: '/model/buitin', message: /did you mean "builtin"/, issues: 2 },
  { what: 'model that is not an object', mutate: (r) => (r.model = 'mnist-cnn'), path: '/model', message: /expected an object, found "mnist-cnn" \(a string\)/ },
  // Data.
  { what: 'unknown dataset', mutate: (r) => (r.data.dataset = 'mnsit'), path: '/data/dataset', message: /found "mnsit" \(did you mean "mnist"\?\)/ },
  { what: 'zero training samples', mutate: (r) => (r.data.trainSamples = 0), path: '/data/trainSamples', message: /expected an integer >= 1, found 0/ },
  { what: 'more samples than MNIST has', mutate: (r) => (r.data.trainSamples = 70000), path: '/data/trainSamples', message: /at most 60000 .*found 70000/ },
  { what: 'dataset dir with a data module', mutate: (r) => (r.data = { module: 'data.js', dir: 'x' }), path: '/data/dir', message: /only for built-in datasets/ },
  // Baseline.
  { what: 'built-in model without a baseline', mutate: (r) => delete r.baseline, path: '/baseline', message: /built-in model "mnist-cnn" starts untrained/ },
  { what: 'baseline that does not train', mutate: (r) => (r.baseline.epochs = 0), path: '/baseline/epochs', message: /expected an integer >= 1/ },
  { what: 'misspelled baseline key', mutate: (r) => { r.baseline.epoch = r.baseline.epochs; delete r.baseline.epochs; }, path: '/baseline/epoch', message: /did you mean "epochs"/, issues: 2 },
  // Stages.
  { what: 'stage without plugins', mutate: (r) => delete r.stages[0].plugins, path: '/stages/0/plugins', message: /missing \(required\)/ },
  { what: 'duplicate stage names', mutate: (r) => (r.stages[1].name = 'Prune'), path: '/stages/1/name', message: /duplicate stage name "Prune": \/stages\/0\/name has it already/ },
  { what: 'stage named like the baseline', mutate: (r) => (r.stages[0].name = 'baseline'), path: '/stages/0/name', message: /reserved for the baseline/ },
  { what: 'negative epochs', mutate: (r) => (r.stages[0].epochs = -1), path: '/stages/0/epochs', message: /expected an integer >= 0, found -1/ },
  { what: 'fractional epochs', mutate: (r) => (r.stages[0].epochs = 1.5), path: '/stages/0/epochs', message: /expected an integer, found 1\.5/ },
  { what: 'epochs and steps', mutate: (r) => (r.stages[0].steps = 100), path: '/stages/0/steps', message: /give "epochs" or "steps", not both/ },
  { what: 'zero batch size', mutate: (r) => (r.stages[0].batchSize = 0), path: '/stages/0/batchSize', message: /expected an integer >= 1, found 0/ },
  { what: 'unknown invariant to release', mutate: (r) => (r.stages[1].release = ['sparsit']), path: '/stages/1/release/0', message: /did you mean "sparsity"/ },
  // Plugins.
  { what: 'unknown plugin', mutate: (r) => (r.stages[0].plugins[0].plugin = 'prun'), path: '/stages/0/plugins/0/plugin', message: /unknown plugin "prun" \(did you mean "prune"\?\); expected one of "prune", "sparsityConstraint", "cluster", "quantize"/ },
  { what: 'an exporter listed as a plugin', mutate: (r) => (r.stages[1].plugins[0] = { plugin: 'tflite', path: 'x.tflite' }), path: '/stages/1/plugins/0/plugin', message: /"tflite" is an exporter: list it under "exports"/ },
  { what: 'plugin entry without a name', mutate: (r) => delete r.stages[0].plugins[0].plugin, path: '/stages/0/plugins/0/plugin', message: /missing \(required\)/ },
  { what: 'plugin option out of range', mutate: (r) => (r.stages[0].plugins[0].finalSparsity = 1.5), path: '/stages/0/plugins/0/finalSparsity', message: /expected a number < 1, found 1\.5/ },
  { what: 'misspelled plugin option', mutate: (r) => (r.stages[0].plugins[0].finalSparsty = 0.5), path: '/stages/0/plugins/0/finalSparsty', message: /unknown option "finalSparsty" of plugin "prune" \(did you mean "finalSparsity"\?\)/ },
  // Judged against prune's schema only: cluster's option is unknown here, and nothing is said about cluster.
  { what: "another plugin's option", mutate: (r) => (r.stages[0].plugins[0].numClusters = 16), path: '/stages/0/plugins/0/numClusters', message: /unknown option "numClusters" of plugin "prune"/ },
  { what: 'misspelled enum option', mutate: (r) => (r.stages[1].plugins[1].mode = 'ptqq'), path: '/stages/1/plugins/1/mode', message: /found "ptqq" \(did you mean "ptq"\?\)/ },
  { what: 'unknown schedule type', mutate: (r) => (r.stages[0].plugins[0] = { plugin: 'prune', schedule: { type: 'constant', targetSparsity: 0.5 } }), path: '/stages/0/plugins/0/schedule/type', message: /expected one of "constantSparsity", "polynomialDecay", found "constant"/ },
  { what: 'schedule missing a field', mutate: (r) => (r.stages[0].plugins[0] = { plugin: 'prune', schedule: { type: 'polynomialDecay', finalSparsity: 0.5 } }), path: '/stages/0/plugins/0/schedule/endStep', message: /missing \(required\)/ },
  { what: "schedule that ends before it begins (the plugin's own check)", mutate: (r) => Object.assign(r.stages[0].plugins[0], { beginStep: 100, endStep: 10 }), path: '/stages/0/plugins/0/endStep', message: /endStep must be a step >= beginStep \(100\), received 10/ },
  { what: 'malformed step count', mutate: (r) => (r.stages[0].plugins[0].endStep = '1epoch'), path: '/stages/0/plugins/0/endStep', message: /"2ep".*received "1epoch"/ },
  { what: 'prune without a target sparsity (the plugin\'s own check)', mutate: (r) => (r.stages[0].plugins[0] = { plugin: 'prune' }), path: '/stages/0/plugins/0', message: /^prune: give finalSparsity \(with endStep for polynomial decay\), a schedule, or nm$/ },
  { what: 'plugin entry that is not an object', mutate: (r) => (r.stages[0].plugins[0] = 'prune'), path: '/stages/0/plugins/0', message: /expected an object, found "prune" \(a string\)/ },
  { what: 'selector of the wrong type', mutate: (r) => (r.stages[0].plugins[0].include = [3]), path: '/stages/0/plugins/0/include/0', message: /expected a non-empty string or an object with "className", found 3/ },
  // Optimizer.
  { what: 'unknown optimizer', mutate: (r) => (r.stages[0].optimizer.type = 'adm'), path: '/stages/0/optimizer/type', message: /unknown type "adm" \(did you mean "adam"\?\)/ },
  { what: 'momentum without its coefficient', mutate: (r) => (r.stages[0].optimizer = { type: 'momentum', learningRate: 0.01 }), path: '/stages/0/optimizer/momentum', message: /missing \(required\): expected a number >= 0 and < 1/ },
  { what: 'momentum coefficient for adam', mutate: (r) => (r.stages[0].optimizer.momentum = 0.9), path: '/stages/0/optimizer/momentum', message: /unknown key "momentum"; expected one of "type", "learningRate"/ },
  { what: 'zero learning rate', mutate: (r) => (r.stages[0].optimizer.learningRate = 0), path: '/stages/0/optimizer/learningRate', message: /expected a number > 0, found 0/ },
  { what: 'misspelled loss', mutate: (r) => (r.stages[0].loss = 'categoricalCrossEntropy'), path: '/stages/0/loss', message: /did you mean "categoricalCrossentropy"/ },
  // Post-training quantization and QAT.
  { what: 'post-training quantization that trains', base: 'ptq-int8', mutate: (r) => (r.stages[0].epochs = 2), path: '/stages/0/epochs', message: /does not train; expected no epochs, found 2/ },
  { what: 'post-training quantization without calibration', base: 'ptq-int8', mutate: (r) => delete r.stages[0].calibrate, path: '/stages/0/calibrate', message: /takes its ranges from calibration; add "calibrate": \{\}/ },
  { what: 'QAT that does not train', mutate: (r) => delete r.stages[1].epochs, path: '/stages/1/epochs', message: /quantize in "qat" mode .* learns its ranges while training/ },
  // Exports.
  { what: 'unknown export format', mutate: (r) => (r.exports[0].format = 'tfilte'), path: '/exports/0/format', message: /unknown export format "tfilte" \(did you mean "tflite"\?\)/ },
  { what: 'unknown TFLite mode', mutate: (r) => (r.exports[0].mode = 'int4'), path: '/exports/0/mode', message: /expected one of "float32", "float16", "dynamic-range", "int8", found "int4"/ },
  { what: 'two exports to one file', mutate: (r) => (r.exports[1].mode = 'int8'), path: '/exports/1/file', message: /writes "model-int8\.tflite", as \/exports\/0 does already/ },
  { what: 'export file outside the output directory', mutate: (r) => (r.exports[0].file = '../model.tflite'), path: '/exports/0/file', message: /a file name ending in "\.tflite", without directories/ },
  { what: 'int8 export without a quantize stage', mutate: (r) => r.stages.pop(), path: '/exports/0/mode', message: /int8 needs int8 weights and activation ranges: add a stage with the quantize plugin/ },
  { what: "exporter option the exporter rejects (its own check)", mutate: (r) => (r.exports[1].inputOutputType = 'int8'), path: '/exports/1/inputOutputType', message: /'float32' unless mode is 'int8'/ },
  { what: 'exports that are not a list', mutate: (r) => (r.exports = { format: 'tflite' }), path: '/exports', message: /expected an array, found \{"format":"tflite"\} \(an object\)/ },
];

/** Files under fixtures/malformed, loaded with loadRecipe, and the issue each must produce. */
const FILES: { file: string; path: string; message: RegExp }[] = [
  { file: 'trailing-comma.json', path: '', message: /JSON syntax error at line 4, column 1: expected a key in double quotes, found '\}' \(JSON allows no comma before "\}"\)/ },
  { file: 'single-quotes.json', path: '', message: /line 2, column 3: .*JSON strings use double quotes/ },
  { file: 'comment.json', path: '', message: /line 2, column 3: found a comment; JSON has no comments/ },
  { file: 'line-break-in-string.json', path: '', message: /line 2, column 13: .*found a line break or control character inside a string/ },
  { file: 'unclosed-string.json', path: '', message: /line 2, column 11: this string is never closed/ },
  { file: 'missing-comma.json', path: '', message: /line 2, column 15: expected ',' or '\}' after the value of "name", found '"'/ },
  { file: 'empty.json', path: '', message: /line 1, column 1: expected a JSON value, found the end of the file/ },
  { file: 'duplicate-key.json', path: '/stages/0/epochs', message: /duplicate key "epochs" at line 7, column \d+ \(first at line 7, column \d+\); JSON would silently keep only the last one/ },
  { file: 'missing-model-module.json', path: '/model/module', message: /module file not found: .*modules[/\\]noSuchModel\.js/ },
  { file: 'module-without-extension.json', path: '/model/module', message: /module file not found: .*modules[/\\]modelModule \(relative paths .*\); did you mean modelModule\.js\?$/ },
  { file: 'missing-model-path.json', path: '/model/path', message: /model directory not found: .*no-such-model/ },
  { file: 'model-path-without-model-json.json', path: '/model/path', message: /modules is not a saved tfjs model: it has no model\.json/ },
  { file: 'missing-data-module.json', path: '/data/module', message: /module file not found: .*malformed[/\\]noSuchData\.js \(relative paths are relative to the recipe's directory/ },
  { file: 'data-dir-without-idx-files.json', path: '/data/dir', message: /modules lacks the IDX files train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte/ },
  // An ordinary unknown key, as with JSON.parse — never the object's prototype.
  { file: 'proto-key.json', path: '/__proto__', message: /unknown key "__proto__"/ },
  { file: 'no-such-recipe.json', path: '', message: /cannot read the recipe file .*no-such-recipe\.json: no such file/ },
];

function library(name: string): Json {
  return JSON.parse(fs.readFileSync(path.join(LIBRARY, `${name}.json`), 'utf8'));
}

function rejection(run: () => unknown): RecipeValidationError {
  try {
    run();
  } catch (e) {
    expect(e).to.be.instanceOf(RecipeValidationError);
    return e as RecipeValidationError;
  }
  return expect.fail('the recipe was accepted');
}

async function rejectionOf(run: () => Promise<unknown>): Promise<RecipeValidationError> {
  try {
    await run();
  } catch (e) {
    expect(e).to.be.instanceOf(RecipeValidationError);
    return e as RecipeValidationError;
  }
  return expect.fail('the recipe was accepted');
}

function expectIssue(error: RecipeValidationError, pointer: string, message: RegExp, count?: number): void {
  const shown = error.issues.map((i: RecipeIssue) => `${i.path}: ${i.message}`).join('\n');
  const match = error.issues.find((i) => i.path === pointer && message.test(i.message));
  expect(match, `expected an issue at "${pointer}" matching ${message}; got:\n${shown}`).to.not.equal(undefined);
  if (count !== undefined) expect(error.issues, shown).to.have.length(count);
  // The message lists every issue as `path: message`.
  expect(error.message).to.include(`${pointer === '' ? '(recipe)' : pointer}: ${match!.message}`);
  expect(error.code).to.equal('recipe');
}

describe('malformed recipes', () => {
  it(`the corpus has at least 30 cases (${CASES.length} mutations, ${FILES.length} files), each base recipe valid`, () => {
    expect(CASES.length + FILES.length).to.be.at.least(30);
    for (const base of new Set(CASES.map((c) => c.base ?? 'prune-pqat'))) validateRecipe(library(base));
  });

  for (const c of CASES) {
    it(`${c.what} → ${c.path || '(recipe)'}`, () => {
      const original = library(c.base ?? 'prune-pqat');
      c.mutate(original);
      const recipe = 'replacement' in c ? c.replacement : original;
      expectIssue(rejection(() => validateRecipe(recipe, 'case.json')), c.path, c.message, c.issues ?? 1);
    });
  }

  for (const f of FILES) {
    it(`fixtures/malformed/${f.file} → ${f.path || '(recipe)'}`, async () => {
      const error = await rejectionOf(() => loadRecipe(path.join(MALFORMED, f.file)));
      expectIssue(error, f.path, f.message, 1);
      expect(error.source).to.equal(path.join(MALFORMED, f.file));
    });
  }

  it('reports every issue of a recipe at once: schema, cross-field and missing files', async () => {
    const recipe = library('prune-pqat');
    recipe.stgaes = [];
    recipe.stages[0].plugins[0].finalSparsity = 2;
    recipe.stages[1].name = 'prune';
    recipe.exports[0].format = 'coreml';
    const error = rejection(() => validateRecipe(recipe));
    expect(error.issues.map((i) => i.path)).to.have.members(['/stgaes', '/stages/0/plugins/0/finalSparsity', '/stages/1/name', '/exports/0/format']);
    const files = await rejectionOf(() => loadRecipe(path.join(MALFORMED, 'model-and-data-missing.json')));
    expect(files.issues.map((i) => i.path)).to.deep.equal(['/model/module', '/data/module']);
  });

  it('instantiating plugins to run their own checks leaves no tensors behind', () => {
    validateRecipe(library('prune-cluster-pcqat'));
    const before = tf.memory().numTensors;
    for (const name of ['prune-cluster-pcqat', 'cluster-cqat', 'prune-ptq']) validateRecipe(library(name));
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('never modifies the recipe it validates, and fills defaults into its copy', () => {
    const recipe = library('ptq-int8');
    const before = JSON.stringify(recipe);
    const valid = validateRecipe(recipe);
    expect(JSON.stringify(recipe)).to.equal(before);
    expect(valid.backend).to.equal('auto');
    expect(valid.stages[0].calibrate).to.deep.equal({ batchSize: 100 });
    expect(valid.stages[0].loss).to.equal('categoricalCrossentropy');
    expect(valid.exports).to.deep.include({ format: 'tflite', mode: 'int8', file: 'model-int8.tflite', inputOutputType: 'float32', batchSize: 1, description: 'collabopt', biasOverflow: 'throw', denseWeights: 'per-tensor' });
    const minimal = validateRecipe({ name: 'm', model: { path: 'saved' }, data: { dataset: 'mnist' }, stages: [{ name: 'q', plugins: [{ plugin: 'quantize' }], epochs: 1 }], exports: [{ format: 'tfjs' }] });
    expect(minimal).to.deep.include({ seed: 0, backend: 'auto' });
    expect(minimal.data).to.deep.equal({ dataset: 'mnist', representativeSamples: 1000 });
    expect(minimal.stages[0]).to.deep.include({ batchSize: 32, optimizer: { type: 'adam', learningRate: 0.001 }, loss: 'categoricalCrossentropy' });
    expect(minimal.exports).to.deep.equal([{ format: 'tfjs', quantization: 'none', shardSizeBytes: 4 * 1024 * 1024, dir: 'tfjs-none' }]);
  });
});
