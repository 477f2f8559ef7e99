import { expect } from 'chai';
import { CollabError, Composer, registerInvariant } from '@collabopt/core';
import { cluster, prune, quantize, sparsityConstraint } from '@collabopt/plugins';
import { preservesInvariant } from '../../../core/src/composer/preservesInvariant';

// Added after the plugins were written: no plugin lists it, the traits decide who keeps it.
registerInvariant<null>({
  name: 'test-zeros-stay',
  description: 'exact zeros stay exact zeros',
  preservedBy: ['zero-preserving'],
  check: () => null,
  encode: () => null,
  decode: () => null,
});

describe('preservesInvariant: preservation from projection traits', () => {
  it('keeps the built-in preservations the plugins used to list', () => {
    expect(preservesInvariant(quantize(), 'sparsity')).to.equal(true);
    expect(preservesInvariant(quantize(), 'clusters')).to.equal(true);
    expect(preservesInvariant(sparsityConstraint(), 'int8-grid')).to.equal(true);
    expect(preservesInvariant(sparsityConstraint(), 'clusters')).to.equal(false);
    expect(preservesInvariant(cluster(), 'sparsity')).to.equal(true);
    expect(preservesInvariant(cluster({ preserveSparsity: false }), 'sparsity')).to.equal(false);
    expect(preservesInvariant(prune({ finalSparsity: 0.5 }), 'int8-grid')).to.equal(false);
  });

  it('a new invariant is kept by every plugin with a trait it names, without editing them', () => {
    expect(preservesInvariant(quantize(), 'test-zeros-stay')).to.equal(true);
    expect(preservesInvariant(sparsityConstraint(), 'test-zeros-stay')).to.equal(true);
    expect(preservesInvariant(cluster({ preserveSparsity: false }), 'test-zeros-stay')).to.equal(false);
    expect(preservesInvariant(prune({ finalSparsity: 0.5 }), 'test-zeros-stay')).to.equal(false);
  });

  it('rejects unknown traits in an invariant and in a plugin', () => {
    expect(() =>
      registerInvariant<null>({ name: 'test-bad-trait', description: 'x', preservedBy: ['monotone' as 'mask-only'], check: () => null, encode: () => null, decode: () => null }),
    ).to.throw(CollabError, /unknown projection trait 'monotone'.*known traits: zero-preserving, value-function, mask-only/);
    const odd = { ...quantize(), invariants: { establishes: [], preserves: [], requires: [], traits: ['monotone' as 'mask-only'] } };
    expect(() => Composer.order([odd])).to.throw(CollabError, /unknown projection trait 'monotone'/);
  });
});
