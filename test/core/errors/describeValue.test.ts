import { expect } from 'chai';
import { describeType, describeValue } from '@collabopt/core';

describe('errors/describeValue', () => {
  it('renders scalars unambiguously', () => {
    expect(describeValue('2ep')).to.equal('"2ep"');
    expect(describeValue('')).to.equal('""');
    expect(describeValue(NaN)).to.equal('NaN');
    expect(describeValue(-Infinity)).to.equal('-Infinity');
    expect(describeValue(undefined)).to.equal('undefined');
    expect(describeValue(null)).to.equal('null');
    expect(describeValue(false)).to.equal('false');
    expect(describeValue(() => 1)).to.equal('a function');
  });

  it('renders small structures as JSON', () => {
    expect(describeValue([2, 2])).to.equal('[2,2]');
    expect(describeValue({ a: 1 })).to.equal('{"a":1}');
  });

  it('summarises typed and long arrays instead of printing millions of values', () => {
    expect(describeValue(new Float32Array(4_000_000))).to.equal('a Float32Array of length 4000000');
    expect(describeValue(new Array(1000).fill(0))).to.equal('an array of length 1000');
  });

  it('cuts long renderings and survives cycles', () => {
    const long = describeValue({ key: 'x'.repeat(500) });
    expect(long.length).to.equal(120);
    expect(long.endsWith('...')).to.equal(true);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(describeValue(cyclic)).to.equal('[object Object]');
  });
});

describe('errors/describeValue: missing keys, and describeType', () => {
  it('renders an absent key as missing only when asked', () => {
    expect(describeValue(undefined, { missing: true })).to.equal('nothing (missing)');
    expect(describeValue(0, { missing: true })).to.equal('0');
  });

  it('names the kind of a value for type errors', () => {
    expect(describeType([1, 2, 3])).to.equal('Array');
    expect(describeType(new Int8Array(2))).to.equal('Int8Array');
    expect(describeType(null)).to.equal('null');
    expect(describeType('x')).to.equal('string');
    expect(describeType(Object.create(null))).to.equal('object');
  });
});
