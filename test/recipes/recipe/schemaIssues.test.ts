import Ajv from 'ajv';
import { expect } from 'chai';
import { schemaIssues } from '../../../recipes/src/recipe/schemaIssues';
import { exactlyOneOf } from '../../../recipes/src/schema/exactlyOneOf';

// A small schema with every construct the recipe schema uses (tagged oneOf, discriminator,
// exactlyOneOf, anyOf, dependencies), compiled with the options validateRecipe uses.
const schema = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1 },
    epochs: { type: 'integer', minimum: 1 },
    rate: { type: 'number', exclusiveMaximum: 1 },
    mode: { enum: ['qat', 'ptq'] },
    tags: { type: 'array', items: { type: 'string' }, minItems: 1, uniqueItems: true },
    data: { type: 'object', properties: { builtin: { type: 'string' }, path: { type: 'string' } }, additionalProperties: false, ...exactlyOneOf(['builtin', 'path']) },
    schedule: {
      oneOf: [
        { type: 'object', properties: { type: { const: 'constant' }, value: { type: 'number' } }, required: ['type', 'value'], additionalProperties: false },
        { type: 'object', properties: { type: { const: 'polynomial' }, begin: { type: 'integer' } }, required: ['type', 'begin'], additionalProperties: false },
      ],
    },
    size: { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^\\d+ep$' }] },
    either: { oneOf: [{ type: 'number' }, { type: 'integer' }] },
    plugins: {
      type: 'array',
      items: {
        type: 'object',
        properties: { plugin: { type: 'string' } },
        discriminator: { propertyName: 'plugin' },
        required: ['plugin'],
        oneOf: [
          { properties: { plugin: { const: 'prune' }, finalSparsity: { type: 'number' } }, additionalProperties: false },
          { properties: { plugin: { const: 'quantize' } }, additionalProperties: false },
        ],
      },
    },
    empty: { type: 'object', additionalProperties: false },
    pair: { type: 'object', properties: { a: {}, b: {} }, dependencies: { a: ['b'] } },
  },
  required: ['name'],
  additionalProperties: false,
};
const validate = new Ajv({ allErrors: true, strict: true, discriminator: true, useDefaults: true, verbose: true, allowUnionTypes: true }).compile(schema);

function issues(data: unknown) {
  const copy = JSON.parse(JSON.stringify(data));
  expect(validate(copy), 'the data must be invalid').to.equal(false);
  return schemaIssues(validate.errors ?? [], copy);
}

const KNOWN = '"name", "epochs", "rate", "mode", "tags", "data", "schedule", "size", "either", "plugins", "empty", "pair"';

describe('schemaIssues', () => {
  it('a missing required key: the pointer is the key, the message says what belongs there', () => {
    expect(issues({})).to.deep.equal([{ path: '/name', message: 'missing (required): expected a non-empty string' }]);
  });

  it('an unknown key: did-you-mean and the known keys; "/" in a key is escaped in the pointer', () => {
    expect(issues({ name: 'x', epoch: 3 })).to.deep.equal([{ path: '/epoch', message: `unknown key "epoch" (did you mean "epochs"?); expected one of ${KNOWN}` }]);
    expect(issues({ name: 'x', 'a/b': 1 })).to.deep.equal([{ path: '/a~1b', message: `unknown key "a/b"; expected one of ${KNOWN}` }]);
  });

  it('type, range, enum and length errors, one issue per value, in document order', () => {
    expect(issues({ name: 3, epochs: 0, rate: 1, mode: 'qta', tags: [] })).to.deep.equal([
      { path: '/name', message: 'expected a string, found 3 (a number)' },
      { path: '/epochs', message: 'expected an integer >= 1, found 0' },
      { path: '/rate', message: 'expected a number < 1, found 1' },
      { path: '/mode', message: 'expected one of "qat", "ptq", found "qta" (did you mean "qat"?)' },
      { path: '/tags', message: 'expected at least 1 entry, found 0' },
    ]);
    expect(issues({ name: '' })).to.deep.equal([{ path: '/name', message: 'expected a non-empty string, found ""' }]);
  });

  it('a duplicate entry names both positions and the value', () => {
    const [issue] = issues({ name: 'x', tags: ['a', 'b', 'a'] });
    expect(issue!.path).to.be.oneOf(['/tags/0', '/tags/2']);
    expect(issue!.message).to.match(/^duplicate of \/tags\/[02] \("a"\); expected each entry once$/);
    expect(issue!.message).to.not.include(issue!.path + ' ');
  });

  it('exactlyOneOf: none given, or two given, is one issue at the object', () => {
    expect(issues({ name: 'x', data: {} })).to.deep.equal([{ path: '/data', message: 'missing: expected exactly one of "builtin", "path"' }]);
    expect(issues({ name: 'x', data: { builtin: 'mnist', path: 'p' } })).to.deep.equal([
      { path: '/data', message: 'expected exactly one of "builtin", "path", found "builtin" and "path"' },
    ]);
  });

  it('a tagged oneOf is judged by the branch its tag names, not by every branch', () => {
    expect(issues({ name: 'x', schedule: { type: 'constant', value: 'high' } })).to.deep.equal([
      { path: '/schedule/value', message: 'expected a number, found "high" (a string)' },
    ]);
  });

  it('a tag no branch has is one "expected one of" at the tag', () => {
    expect(issues({ name: 'x', schedule: { type: 'linear' } })).to.deep.equal([
      { path: '/schedule/type', message: 'expected one of "constant", "polynomial", found "linear"' },
    ]);
  });

  it('anyOf keeps the branch of the matching type; a value matching two oneOf branches says so', () => {
    expect(issues({ name: 'x', size: '3 epochs', either: 3 })).to.deep.equal([
      { path: '/size', message: 'expected a string matching /^\\d+ep$/, found "3 epochs"' },
      { path: '/either', message: 'expected exactly one of the alternatives, found a value that is a number and an integer at once' },
    ]);
  });

  it('discriminator: unknown plugin with a guess, an exporter named as a plugin, an unknown option of one plugin, a missing or non-string tag', () => {
    expect(issues({ name: 'x', plugins: [{ plugin: 'prun' }, { plugin: 'tflite' }, { plugin: 'prune', finalSparsty: 0.5 }, {}, { plugin: 3 }] })).to.deep.equal([
      { path: '/plugins/0/plugin', message: 'unknown plugin "prun" (did you mean "prune"?); expected one of "prune", "quantize"' },
      {
        path: '/plugins/1/plugin',
        message: 'unknown plugin "tflite"; expected one of "prune", "quantize". "tflite" is an exporter: list it under "exports" as { "format": "tflite", ... }',
      },
      { path: '/plugins/2/finalSparsty', message: 'unknown option "finalSparsty" of plugin "prune" (did you mean "finalSparsity"?); its options are "finalSparsity"' },
      { path: '/plugins/3/plugin', message: 'missing (required): expected a string' },
      { path: '/plugins/4/plugin', message: 'expected a string, found 3 (a number)' },
    ]);
  });

  it('a closed empty object and a dependency between keys', () => {
    expect(issues({ name: 'x', empty: { a: 1 }, pair: { a: 1 } })).to.deep.equal([
      { path: '/empty/a', message: 'unknown key "a"; nothing may be given here' },
      { path: '/pair/a', message: '"a" is only allowed together with "b"' },
    ]);
  });

  it('valid data gives no issues, and an empty error list gives none', () => {
    expect(validate({ name: 'x', plugins: [{ plugin: 'prune', finalSparsity: 0.5 }], schedule: { type: 'polynomial', begin: 0 } })).to.equal(true);
    expect(schemaIssues([], {})).to.deep.equal([]);
  });
});
