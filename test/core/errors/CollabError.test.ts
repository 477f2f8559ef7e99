import { expect } from 'chai';
import { CollabError } from '../../../core/src/errors/CollabError';
import { CompositionError } from '../../../core/src/errors/CompositionError';
import { InvariantViolationError } from '../../../core/src/errors/InvariantViolationError';
import { PluginOptionsError } from '../../../core/src/errors/PluginOptionsError';
import { SessionError } from '../../../core/src/errors/SessionError';
import { StateError } from '../../../core/src/errors/StateError';
import { TargetError } from '../../../core/src/errors/TargetError';

describe('CollabError', () => {
  it('carries a machine-readable code and the subclass name; it is an Error with a stack', () => {
    const e = new CollabError('invariant', 'boom');
    expect(e).to.be.instanceOf(Error);
    expect(e.code).to.equal('invariant');
    expect(e.message).to.equal('boom');
    expect(e.name).to.equal('CollabError');
    expect(e.stack).to.be.a('string').and.include('boom');
  });

  it("every core error extends it with its own code, and is named after its class (so `${e}` says which)", () => {
    const errors: [CollabError, string, string][] = [
      [new CompositionError('m'), 'composition', 'CompositionError'],
      [new InvariantViolationError('w', 'sparsity', 1, 'd', 'prune'), 'invariant-violation', 'InvariantViolationError'],
      [new PluginOptionsError('p', []), 'plugin-options', 'PluginOptionsError'],
      [new SessionError('m'), 'session', 'SessionError'],
      [new StateError('m'), 'state', 'StateError'],
      [new TargetError('m'), 'target', 'TargetError'],
    ];
    for (const [e, code, name] of errors) {
      expect(e, name).to.be.instanceOf(CollabError);
      expect(e.code, name).to.equal(code);
      expect(e.name, name).to.equal(name);
      expect(String(e).startsWith(`${name}: `), name).to.equal(true);
    }
    expect(new Set(errors.map(([e]) => e.code)).size, 'codes are distinct').to.equal(errors.length);
  });
});
