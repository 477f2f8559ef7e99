/**
 * The files generated from the recipe schema's source — recipes/schema/recipe.schema.json and
 * docs/recipes-reference.md — are up to date, and the schema documents every field. Also how the
 * schema is assembled from plugin factories.
 */
import Ajv from 'ajv';
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { definePlugin } from '@collabopt/core';
import { buildRecipeSchema } from '../../recipes/src/schema/buildRecipeSchema';
import { generatedRecipeFiles } from '../../recipes/src/schema/generatedRecipeFiles';
import type { JsonSchema } from '../../recipes/src/schema/JsonSchema';
import { recipePlugins, type RecipePluginFactory } from '../../recipes/src/schema/recipePlugins';
import { visitProperties } from '../../recipes/src/schema/visitProperties';

const ROOT = path.join(__dirname, '..', '..');
const REGENERATE = 'run `node recipes/scripts/generate-recipe-files.js`';

/** Every named property below `schema`, with its dotted path. */
function properties(schema: JsonSchema, at = ''): [string, JsonSchema][] {
  const out: [string, JsonSchema][] = [];
  visitProperties(schema, at, (child, p) => {
    out.push([p, child]);
    out.push(...properties(child, p));
  });
  return out;
}

function plugin(name: string, optionsSchema: Record<string, unknown>): RecipePluginFactory {
  return definePlugin({ name, optionsSchema, invariants: { establishes: [], preserves: [], requires: [] }, create: () => ({ apply() {} }) }) as unknown as RecipePluginFactory;
}

describe('generated recipe files', () => {
  for (const file of generatedRecipeFiles()) {
    it(`${file.path} is up to date (else ${REGENERATE})`, () => {
      const committed = fs.readFileSync(path.join(ROOT, file.path), 'utf8');
      expect(committed === file.text, `${file.path} is stale; ${REGENERATE}`).to.equal(true);
    });
  }

  it('the generator script agrees (--check exits 0)', function () {
    this.timeout(60_000);
    const r = spawnSync(process.execPath, [path.join(ROOT, 'recipes', 'scripts', 'generate-recipe-files.js'), '--check'], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
  });

  it('the published schema compiles in a strict ajv of its own and accepts a $schema key', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'recipes', 'schema', 'recipe.schema.json'), 'utf8'));
    const validate = new Ajv({ strict: true, discriminator: true, allowUnionTypes: true }).compile(schema);
    const recipe = { $schema: 'https://example.org/recipes/schema/recipe.schema.json', name: 'r', model: { builtin: 'mnist-cnn' }, data: { dataset: 'mnist' }, stages: [{ name: 's', plugins: [{ plugin: 'quantize' }] }] };
    expect(validate(recipe), JSON.stringify(validate.errors)).to.equal(true);
  });

  it('documents every field: a description and an example (or a const, enum or default to show)', () => {
    const undocumented = properties(buildRecipeSchema()).filter(
      ([, s]) => typeof s.description !== 'string' || !('const' in s || Array.isArray(s.examples) || Array.isArray(s.enum) || 'default' in s),
    );
    expect(undocumented.map(([p]) => p)).to.deep.equal([]);
  });

  it('the reference has a section for each plugin, export format and optimizer, and a row for each of their fields', () => {
    const reference = generatedRecipeFiles().find((f) => f.path.endsWith('.md'))!.text;
    for (const name of recipePlugins.keys()) expect(reference).to.include(`## stages[].plugins[] (${name})`);
    for (const title of ['## exports[] (tflite)', '## exports[] (tfjs)', '## baseline.optimizer (momentum)', '## model', '## data', '## stages[].calibrate']) {
      expect(reference).to.include(title);
    }
    expect(reference).to.match(/\| `finalSparsity` \| number in \[0, 1\) \| no \| — \| Target fraction of zeros/);
    expect(reference).to.match(/\| `representativeSamples` \| integer ≥ 1 \| no \| `1000` \|/);
  });

  it('assembles one discriminated branch per plugin factory, from its optionsSchema plus the plugin tag', () => {
    const custom = plugin('myPlugin', { type: 'object', properties: { strength: { type: 'number', description: 'How strong.', examples: [1] } }, required: ['strength'], additionalProperties: false });
    const schema = buildRecipeSchema([custom]);
    const entry = (((schema.properties as Record<string, JsonSchema>).stages.items as JsonSchema).properties as Record<string, JsonSchema>).plugins.items as JsonSchema;
    expect(entry.discriminator).to.deep.equal({ propertyName: 'plugin' });
    expect(entry.oneOf).to.deep.equal([
      {
        type: 'object',
        title: 'myPlugin',
        properties: { plugin: { const: 'myPlugin', description: 'The `myPlugin` plugin.' }, strength: { type: 'number', description: 'How strong.', examples: [1] } },
        required: ['plugin', 'strength'],
        additionalProperties: false,
      },
    ]);
    // The plugin's own schema object is not touched by assembling the recipe schema.
    const before = JSON.stringify(recipePlugins.get('prune')!.optionsSchema);
    buildRecipeSchema();
    expect(JSON.stringify(recipePlugins.get('prune')!.optionsSchema)).to.equal(before);
  });

  it('refuses plugins whose options cannot take the plugin tag', () => {
    expect(() => buildRecipeSchema([plugin('open', { type: 'object', properties: {} })])).to.throw(/plugin 'open': its optionsSchema must be \{ type: 'object', properties, additionalProperties: false \}/);
    expect(() => buildRecipeSchema([plugin('clash', { type: 'object', properties: { plugin: { type: 'string' } }, additionalProperties: false })])).to.throw(
      /plugin 'clash': an option named 'plugin' clashes/,
    );
  });
});
