import { expect } from 'chai';
import { PluginOptionsError } from '../../../core/src/errors/PluginOptionsError';

describe('PluginOptionsError', () => {
  it('one line per issue under the plugin name: pointer, expected, received', () => {
    const issues = [
      { pointer: '/finalSparsity', expected: '< 1', received: 1.5 },
      { pointer: '/schedule/type', expected: 'one of "constant", "polynomial"', received: 'linear' },
    ];
    const e = new PluginOptionsError('prune', issues);
    expect(e.message).to.equal('prune: invalid options\n  /finalSparsity: expected < 1, received 1.5\n  /schedule/type: expected one of "constant", "polynomial", received "linear"');
    expect(e.plugin).to.equal('prune');
    expect(e.issues).to.equal(issues);
  });

  it('a missing value reads as missing, and the options object itself as (options)', () => {
    const e = new PluginOptionsError('cluster', [
      { pointer: '/numClusters', expected: 'a value (required)', received: undefined },
      { pointer: '', expected: 'a value of type object', received: 3 },
    ]);
    expect(e.message).to.equal('cluster: invalid options\n  /numClusters: expected a value (required), received nothing (missing)\n  (options): expected a value of type object, received 3');
  });
});
