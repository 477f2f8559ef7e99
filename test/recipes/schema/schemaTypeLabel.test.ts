import { expect } from 'chai';
import { schemaTypeLabel } from '../../../recipes/src/schema/schemaTypeLabel';

describe('schemaTypeLabel', () => {
  it('the Type column of the recipe reference: consts and enums in code, numbers with their interval', () => {
    expect(schemaTypeLabel({ const: 'adam' })).to.equal('`"adam"`');
    expect(schemaTypeLabel({ enum: ['S', 'M'] })).to.equal('`"S"` \\| `"M"`');
    expect(schemaTypeLabel({ type: 'integer' })).to.equal('integer');
    expect(schemaTypeLabel({ type: 'integer', minimum: 1 })).to.equal('integer ≥ 1');
    expect(schemaTypeLabel({ type: 'number', exclusiveMinimum: 0 })).to.equal('number > 0');
    expect(schemaTypeLabel({ type: 'number', maximum: 1 })).to.equal('number ≤ 1');
    expect(schemaTypeLabel({ type: 'number', exclusiveMaximum: 1 })).to.equal('number < 1');
    expect(schemaTypeLabel({ type: 'number', minimum: 0, exclusiveMaximum: 1 })).to.equal('number in [0, 1)');
    expect(schemaTypeLabel({ type: 'integer', exclusiveMinimum: 0, maximum: 8 })).to.equal('integer in (0, 8]');
  });

  it('arrays, objects (with their tag), unions (pipes escaped for Markdown tables), discriminated unions, anything', () => {
    expect(schemaTypeLabel({ type: 'array', items: { type: 'string' } })).to.equal('array of string');
    expect(schemaTypeLabel({ type: 'array' })).to.equal('array of any');
    expect(schemaTypeLabel({ type: 'object' })).to.equal('object');
    expect(schemaTypeLabel({ type: 'object', properties: { type: { const: 'sgd' }, lr: { type: 'number' } } })).to.equal('object (type `"sgd"`)');
    expect(schemaTypeLabel({ anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string' }] })).to.equal('integer ≥ 0 \\| string');
    expect(schemaTypeLabel({ discriminator: { propertyName: 'plugin' }, oneOf: [{ properties: { plugin: { const: 'a' } } }] })).to.equal('object');
    expect(schemaTypeLabel({ type: 'boolean' })).to.equal('boolean');
    expect(schemaTypeLabel({})).to.equal('any');
  });
});
