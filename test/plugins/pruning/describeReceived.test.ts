import { expect } from 'chai';
import { describeReceived } from '../../../plugins/src/pruning/describeReceived';

describe('pruning/describeReceived', () => {
  it('renders scalars unambiguously', () => {
    expect(describeReceived('2ep')).to.equal('"2ep"');
    expect(describeReceived('')).to.equal('""');
    expect(describeReceived(NaN)).to.equal('NaN');
    expect(describeReceived(-Infinity)).to.equal('-Infinity');
    expect(describeReceived(undefined)).to.equal('undefined');
    expect(describeReceived(null)).to.equal('null');
    expect(describeReceived(false)).to.equal('false');
    expect(describeReceived(() => 1)).to.equal('a function');
  });

  it('renders small structures as JSON', () => {
    expect(describeReceived([2, 2])).to.equal('[2,2]');
    expect(describeReceived({ a: 1 })).to.equal('{"a":1}');
  });

  it('summarises typed and long arrays instead of printing millions of values', () => {
    expect(describeReceived(new Float32Array(4_000_000))).to.equal('a Float32Array of length 4000000');
    expect(describeReceived(new Array(1000).fill(0))).to.equal('an array of length 1000');
  });

  it('cuts long renderings and survives cycles', () => {
    const long = describeReceived({ key: 'x'.repeat(500) });
    expect(long.length).to.equal(120);
    expect(long.endsWith('...')).to.equal(true);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(describeReceived(cyclic)).to.equal('[object Object]');
  });
});
