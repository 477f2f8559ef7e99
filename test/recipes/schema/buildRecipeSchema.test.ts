import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { expect } from 'chai';
import { buildRecipeSchema } from '../../../recipes/src/schema/buildRecipeSchema';
import type { JsonSchema } from '../../../recipes/src/schema/JsonSchema';
import { recipePlugins } from '../../../recipes/src/schema/recipePlugins';
import { RECIPE_DEFAULTS } from '../../../recipes/src/recipe/recipeDefaults';

// Generated-file freshness, field documentation and per-plugin branches are checked in
// test/recipes/generatedFiles.test.ts; this file checks the assembled schema's own promises.

const LIBRARY = path.join(__dirname, '..', '..', '..', 'recipes', 'library');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const library = (name: string): Json => JSON.parse(fs.readFileSync(path.join(LIBRARY, `${name}.json`), 'utf8'));
const compile = (schema: JsonSchema) => new Ajv({ allErrors: true, strict: true, discriminator: true, useDefaults: true, allowUnionTypes: true }).compile(schema);
const props = (s: JsonSchema) => s.properties as Record<string, JsonSchema>;

describe('buildRecipeSchema', () => {
  const validate = compile(buildRecipeSchema());

  it('is a draft-07 object schema requiring name, model, data and stages, with the runner’s defaults', () => {
    const schema = buildRecipeSchema();
    expect(schema.$schema).to.equal('http://json-schema.org/draft-07/schema#');
    expect(schema.required).to.deep.equal(['name', 'model', 'data', 'stages']);
    expect(props(schema).seed!.default).to.equal(RECIPE_DEFAULTS.seed);
    expect(props(schema).backend!.default).to.equal(RECIPE_DEFAULTS.backend);
    expect(props(schema).exports!.default).to.deep.equal([]);
  });

  it('accepts every library recipe, filling defaults (e.g. a stage’s calibrate batch size)', () => {
    for (const file of fs.readdirSync(LIBRARY).filter((f) => f.endsWith('.json'))) {
      const recipe = library(file.replace(/\.json$/, ''));
      expect(validate(recipe), `${file}: ${JSON.stringify(validate.errors)}`).to.equal(true);
    }
    const ptq = library('ptq-int8');
    delete ptq.stages[0].calibrate.batchSize;
    validate(ptq);
    expect(ptq.stages[0].calibrate.batchSize).to.equal(RECIPE_DEFAULTS.calibrateBatchSize);
  });

  it('is strict at every level: an unknown key in any object of a recipe is rejected', () => {
    const places: [string, (r: Json) => Json][] = [
      ['top level', (r) => r],
      ['model', (r) => r.model],
      ['data', (r) => r.data],
      ['baseline', (r) => r.baseline],
      ['baseline.optimizer', (r) => r.baseline.optimizer],
      ['a stage', (r) => r.stages[0]],
      ['a stage’s optimizer', (r) => r.stages[0].optimizer],
      ['a plugin entry', (r) => r.stages[0].plugins[0]],
      ['an export', (r) => r.exports[0]],
    ];
    for (const [where, at] of places) {
      const recipe = library('prune-pqat');
      at(recipe).unexpectedKey = 1;
      expect(validate(recipe), where).to.equal(false);
      expect(validate.errors!.some((e) => e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties'), where).to.equal(true);
    }
    const ptq = library('ptq-int8');
    ptq.stages[0].calibrate.unexpectedKey = 1;
    expect(validate(ptq), 'calibrate').to.equal(false);
  });

  it('stages may release exactly the invariants given; plugins are exactly the factories given', () => {
    const schema = buildRecipeSchema(recipePlugins.values(), ['sparsity', 'my-invariant']);
    const stage = props(props(schema).stages!.items as JsonSchema);
    expect((stage.release!.items as JsonSchema).enum).to.deep.equal(['sparsity', 'my-invariant']);
    const check = compile(schema);
    const recipe = library('prune-pqat');
    recipe.stages[1].release = ['my-invariant'];
    expect(check(recipe)).to.equal(true);
    recipe.stages[1].release = ['clusters'];
    expect(check(recipe)).to.equal(false);

    const onlyQuantize = buildRecipeSchema([recipePlugins.get('quantize')!]);
    const branches = (props(props(onlyQuantize).stages!.items as JsonSchema).plugins!.items as JsonSchema).oneOf as JsonSchema[];
    expect(branches).to.have.length(1);
    expect(compile(onlyQuantize)(library('prune-pqat')), 'prune is not among the plugins').to.equal(false);
    expect(compile(onlyQuantize)(library('ptq-int8'))).to.equal(true);
  });

  it('builds a new object on every call: editing one schema never changes another', () => {
    const a = buildRecipeSchema();
    (props(a).name as { maxLength: number }).maxLength = 1;
    expect(props(buildRecipeSchema()).name!.maxLength).to.equal(64);
  });
});
