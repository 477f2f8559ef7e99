import { expect } from 'chai';
import { describeSchema, exactlyOneOfKeys } from '../../../recipes/src/schema/describeSchema';
import { exactlyOneOf } from '../../../recipes/src/schema/exactlyOneOf';
import { recipePatterns } from '../../../recipes/src/schema/recipePatterns';

describe('describeSchema', () => {
  it('anything: true, missing or non-schema values', () => {
    for (const s of [true, undefined, null, 3]) expect(describeSchema(s)).to.equal('any value');
  });

  it('const and enum are shown as JSON', () => {
    expect(describeSchema({ const: 'adam' })).to.equal('"adam"');
    expect(describeSchema({ enum: ['S', 'M', 2] })).to.equal('one of "S", "M", 2');
  });

  it('numbers with their ranges', () => {
    expect(describeSchema({ type: 'integer' })).to.equal('an integer');
    expect(describeSchema({ type: 'integer', minimum: 1 })).to.equal('an integer >= 1');
    expect(describeSchema({ type: 'number', minimum: 0, exclusiveMaximum: 1 })).to.equal('a number >= 0 and < 1');
    expect(describeSchema({ type: 'number', exclusiveMinimum: 0 })).to.equal('a number > 0');
    expect(describeSchema({ type: 'integer', minimum: 2, maximum: 8 })).to.equal('an integer from 2 to 8');
  });

  it('strings, booleans, arrays (pluralised items) and objects (by tag or required keys)', () => {
    expect(describeSchema({ type: 'string' })).to.equal('a string');
    expect(describeSchema({ type: 'string', minLength: 1 })).to.equal('a non-empty string');
    expect(describeSchema({ type: 'boolean' })).to.equal('true or false');
    expect(describeSchema({ type: 'array' })).to.equal('an array');
    expect(describeSchema({ type: 'array', minItems: 1, items: { type: 'integer', minimum: 0 } })).to.equal('a non-empty array of integers >= 0');
    expect(describeSchema({ type: 'array', items: { type: 'string', minLength: 1 } })).to.equal('an array of non-empty strings');
    expect(describeSchema({ type: 'array', items: { enum: ['a', 'b'] } })).to.equal('an array of (one of "a", "b")');
    expect(describeSchema({ type: 'array', items: { anyOf: [{ type: 'integer' }, { type: 'string' }] } })).to.equal('an array of (an integer or a string)');
    expect(describeSchema({ type: 'object' })).to.equal('an object');
    expect(describeSchema({ type: 'object', properties: { type: { const: 'adam' } } })).to.equal('an object with "type": "adam"');
    expect(describeSchema({ type: 'object', required: ['name', 'plugins'] })).to.equal('an object with "name", "plugins"');
    expect(describeSchema({ type: ['integer', 'string'] })).to.equal('an integer or a string');
    expect(describeSchema({ type: 'null' })).to.equal('a value');
  });

  it('alternatives: a discriminated union by its tags, anyOf/oneOf joined with "or", exactlyOneOf by its keys', () => {
    const union = {
      discriminator: { propertyName: 'type' },
      oneOf: [{ properties: { type: { const: 'sgd' } } }, { properties: { type: { const: 'adam' } } }],
    };
    expect(describeSchema(union)).to.equal('an object with "type": "sgd" or "adam"');
    expect(describeSchema({ anyOf: [{ type: 'integer', minimum: 1 }, { type: 'string', minLength: 1 }] })).to.equal('an integer >= 1 or a non-empty string');
    expect(describeSchema({ type: 'object', ...exactlyOneOf(['builtin', 'module', 'path']) })).to.equal('an object with one of "builtin", "module", "path"');
  });

  it('a known recipe pattern is described in words; an unknown one shows the expression', () => {
    expect(describeSchema({ type: 'string', pattern: recipePatterns.safeName.pattern })).to.equal(recipePatterns.safeName.phrase);
    expect(describeSchema({ type: 'string', pattern: '^\\d+ep$' })).to.equal('a string matching /^\\d+ep$/');
  });
});

describe('exactlyOneOfKeys', () => {
  it('recognises exactlyOneOf(keys) and nothing else', () => {
    expect(exactlyOneOfKeys(exactlyOneOf(['a', 'b']))).to.deep.equal(['a', 'b']);
    expect(exactlyOneOfKeys({ oneOf: [] })).to.equal(null);
    expect(exactlyOneOfKeys({ oneOf: [{ type: 'integer' }, { type: 'string' }] })).to.equal(null);
    expect(exactlyOneOfKeys({ oneOf: [{ required: ['a', 'b'], properties: {} }] })).to.equal(null);
    expect(exactlyOneOfKeys({ type: 'object' })).to.equal(null);
  });
});
