import { expect } from 'chai';
import { closestMatch } from '../../../core/src/util/closestMatch';

describe('closestMatch', () => {
  const plugins = ['prune', 'cluster', 'quantize', 'sparsityConstraint'];

  it('suggests the candidate within two edits, case-insensitively', () => {
    expect(closestMatch('prnue', plugins)).to.equal('prune');
    expect(closestMatch('Quantise', plugins)).to.equal('quantize');
    expect(closestMatch('CLUSTER', plugins)).to.equal('cluster');
  });

  it('allows a third of the length in edits for long words', () => {
    // 15 letters, three letters missing: more than two edits, within a third of the length.
    expect(closestMatch('sprsityConstrnt', plugins)).to.equal('sparsityConstraint');
    // 5 letters, three edits: too far for a short word.
    expect(closestMatch('prxyz', plugins)).to.equal(undefined);
  });

  it('suggests nothing when no candidate is a plausible typo, or there are no candidates', () => {
    expect(closestMatch('distill', plugins)).to.equal(undefined);
    expect(closestMatch('prune', [])).to.equal(undefined);
  });

  it('picks the closest of several', () => {
    expect(closestMatch('epoch', ['epochs', 'epochz', 'steps'])).to.equal('epochs');
    expect(closestMatch('steps', ['epochs', 'step'])).to.equal('step');
  });
});
