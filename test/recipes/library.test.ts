/**
 * The recipe library: one recipe for every path of the seed's deployment tree, on MNIST with the
 * built-in CNN, each valid against the published schema file as well as `loadRecipe`, sharing
 * identical stage prefixes so a runner can cache them, and sized to run in minutes.
 */
import Ajv from 'ajv';
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadRecipe } from '../../recipes/src/recipe/loadRecipe';
import type { Recipe } from '../../recipes/src/recipe/Recipe';

const RECIPES = path.join(__dirname, '..', '..', 'recipes');
const LIBRARY = path.join(RECIPES, 'library');

/** Each path of the tree: the library file, and the plugin sets of its stages in order. */
const PATHS: Record<string, string[][]> = {
  'ptq-int8': [['quantize']],
  qat: [['quantize']],
  'prune-pqat': [['prune'], ['sparsityConstraint', 'quantize']],
  'cluster-cqat': [['cluster'], ['cluster', 'quantize']],
  'prune-cluster-pcqat': [['prune'], ['sparsityConstraint', 'cluster'], ['sparsityConstraint', 'cluster', 'quantize']],
  'prune-ptq': [['prune'], ['quantize']],
  'cluster-ptq': [['cluster'], ['quantize']],
  'prune-cluster-ptq': [['prune'], ['sparsityConstraint', 'cluster'], ['quantize']],
};

describe('recipe library', () => {
  const raw = new Map<string, Record<string, unknown>>();
  const loaded = new Map<string, Recipe>();

  before(async () => {
    for (const file of fs.readdirSync(LIBRARY)) {
      const name = path.basename(file, '.json');
      raw.set(name, JSON.parse(fs.readFileSync(path.join(LIBRARY, file), 'utf8')));
      loaded.set(name, await loadRecipe(path.join(LIBRARY, file)));
    }
  });

  it('has one recipe per path of the deployment tree, named after it, with the stages of that path', () => {
    expect([...loaded.keys()].sort()).to.deep.equal(Object.keys(PATHS).sort());
    for (const [name, stages] of Object.entries(PATHS)) {
      const recipe = loaded.get(name)!;
      expect(recipe.name, name).to.equal(name);
      expect(recipe.stages.map((s) => s.plugins.map((p) => p.plugin)), name).to.deep.equal(stages);
      // PTQ stages calibrate and do not train; every other stage trains.
      for (const stage of recipe.stages) {
        const ptq = stage.plugins.some((p) => p.plugin === 'quantize' && p.mode === 'ptq');
        expect(ptq ? stage.calibrate !== undefined && stage.epochs === undefined : (stage.epochs ?? 0) > 0, `${name}/${stage.name}`).to.equal(true);
      }
      expect(name.endsWith('ptq') || name === 'ptq-int8').to.equal(recipe.stages[recipe.stages.length - 1].plugins.some((p) => p.mode === 'ptq'));
    }
  });

  it('every recipe is valid against the published schema file, which it references with $schema', () => {
    const schemaFile = path.join(RECIPES, 'schema', 'recipe.schema.json');
    const validate = new Ajv({ allErrors: true, strict: true, discriminator: true, allowUnionTypes: true }).compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
    for (const [name, recipe] of raw) {
      expect(path.resolve(LIBRARY, recipe.$schema as string), name).to.equal(schemaFile);
      expect(validate(recipe), `${name}: ${JSON.stringify(validate.errors)}`).to.equal(true);
    }
  });

  it('runs on MNIST with the built-in CNN and exports int8 and float32 TFLite', () => {
    for (const [name, recipe] of loaded) {
      expect(recipe.model, name).to.deep.equal({ builtin: 'mnist-cnn' });
      expect(recipe.data, name).to.deep.include({ dataset: 'mnist' });
      expect(recipe.exports?.map((e) => (e.format === 'tflite' ? e.mode : e.format)), name).to.deep.equal(['int8', 'float32']);
    }
  });

  it('shares prefixes: same model, data, baseline and seed, and identical definitions of shared stages', () => {
    const first = raw.values().next().value!;
    const stageDefinitions = new Map<string, string>();
    for (const [name, recipe] of raw) {
      for (const key of ['model', 'data', 'baseline', 'seed', 'backend']) {
        expect(JSON.stringify(recipe[key]), `${name}.${key}`).to.equal(JSON.stringify(first[key]));
      }
      for (const stage of recipe.stages as { name: string }[]) {
        const text = JSON.stringify(stage);
        const seen = stageDefinitions.get(stage.name);
        if (seen !== undefined) expect(text, `${name}: stage ${stage.name} differs from the other recipes' stage of that name`).to.equal(seen);
        stageDefinitions.set(stage.name, text);
      }
    }
    // prune, cluster and prune → sparse-cluster are each shared by at least two paths.
    const prefixes = [...loaded.values()].flatMap((r) => r.stages.slice(0, -1).map((_, i) => r.stages.slice(0, i + 1).map((s) => s.name).join('/')));
    for (const prefix of ['prune', 'cluster', 'prune/sparse-cluster']) expect(prefixes.filter((p) => p === prefix).length, prefix).to.be.at.least(2);
  });

  it('is sized to run in minutes: 12,000 training images, at most 4 baseline and 4 fine-tuning epochs per recipe', () => {
    // Measured on 2 cores (wasm + training kernels): ~20 s for the baseline's 4 epochs at batch 64,
    // 5–10 s per fine-tuning epoch, so the whole tree runs in well under 10 minutes even uncached.
    for (const [name, recipe] of loaded) {
      expect(recipe.data).to.deep.include({ trainSamples: 12000, testSamples: 2000 });
      expect(recipe.baseline?.epochs, name).to.be.at.most(4);
      expect(recipe.stages.reduce((sum, s) => sum + (s.epochs ?? 0), 0), name).to.be.at.most(4);
    }
  });
});
