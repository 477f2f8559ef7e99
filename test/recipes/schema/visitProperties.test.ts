import { expect } from 'chai';
import { visitProperties } from '../../../recipes/src/schema/visitProperties';
import type { JsonSchema } from '../../../recipes/src/schema/JsonSchema';

describe('visitProperties', () => {
  it('visits the named properties of a schema with dotted paths, arrays as [], through oneOf/anyOf/allOf branches (one level)', () => {
    const schema: JsonSchema = {
      properties: { name: { type: 'string' }, data: { type: 'object' } },
      oneOf: [{ properties: { builtin: { type: 'string' } } }, { properties: { module: { type: 'string' } } }],
      allOf: [{ anyOf: [{ properties: { deep: { type: 'number' } } }] }],
    };
    const seen: string[] = [];
    visitProperties(schema, '', (child, path) => seen.push(`${path}:${String(child.type)}`));
    expect(seen).to.deep.equal(['builtin:string', 'module:string', 'deep:number', 'name:string', 'data:object']);
  });

  it('prefixes the path it is given, and an array schema visits its items at path[]', () => {
    const seen: string[] = [];
    visitProperties({ type: 'array', items: { properties: { plugin: { type: 'string' } } } }, 'stages', (_c, path) => seen.push(path));
    expect(seen).to.deep.equal(['stages[].plugin']);
  });

  it('does not descend into the properties it visits (the visitor decides), and skips non-schema values', () => {
    const seen: string[] = [];
    visitProperties({ properties: { a: { properties: { b: { type: 'string' } } }, c: true as unknown as JsonSchema } }, '', (_c, path) => seen.push(path));
    expect(seen).to.deep.equal(['a']);
  });
});
