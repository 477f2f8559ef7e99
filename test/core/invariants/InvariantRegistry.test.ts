import { expect } from 'chai';
import { CollabError, getInvariant, invariantNames, registerInvariant, SparsityInvariant, type Invariant } from '@collabopt/core';

const make = (name: string, extra: Partial<Invariant<null>> = {}): Invariant<null> => ({
  name,
  description: 'test',
  check: () => null,
  encode: () => null,
  decode: () => null,
  ...extra,
});

describe('InvariantRegistry', () => {
  it('knows the built-in invariants by name and lists registered ones sorted', () => {
    expect(getInvariant('sparsity')).to.equal(SparsityInvariant);
    const names = invariantNames();
    expect(names).to.include.members(['clusters', 'int8-grid', 'sparsity']);
    expect(names).to.deep.equal([...names].sort());
  });

  it('registers a custom invariant once; the same object again is fine, another under its name is an error', () => {
    const inv = make('test-registry-once');
    expect(registerInvariant(inv)).to.equal(inv);
    expect(registerInvariant(inv)).to.equal(inv);
    expect(getInvariant('test-registry-once')).to.equal(inv);
    expect(() => registerInvariant(make('test-registry-once'))).to.throw(CollabError, "an invariant named 'test-registry-once' is already registered");
  });

  it('refuses unknown projection traits in preservedBy, listing the known ones, and registers nothing', () => {
    expect(() => registerInvariant(make('test-registry-trait', { preservedBy: ['mask-only', 'rotating' as never] }))).to.throw(
      CollabError,
      /^invariant 'test-registry-trait': unknown projection trait 'rotating' in preservedBy; known traits: /,
    );
    expect(invariantNames()).not.to.include('test-registry-trait');
  });

  it('names the known invariants when asked for an unknown one', () => {
    expect(() => getInvariant('sparsty')).to.throw(CollabError, /^unknown invariant 'sparsty'; known invariants: .*sparsity.*registerInvariant\(\) before use\.$/);
  });
});
