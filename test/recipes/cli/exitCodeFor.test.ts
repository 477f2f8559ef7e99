import { expect } from 'chai';
import { CollabError } from '@collabopt/core';
import { exitCodeFor } from '../../../recipes/src/cli/exitCodeFor';

describe('exitCodeFor', () => {
  it('is 2 for every input-error code', () => {
    for (const code of ['recipe', 'recipe-source', 'recipe-input', 'usage', 'plugin-options', 'composition', 'target']) {
      expect(exitCodeFor(new CollabError(code, 'bad input')), code).to.equal(2);
    }
  });

  it('is 1 for collabopt errors that are not about the input, and for anything that is not a CollabError', () => {
    expect(exitCodeFor(new CollabError('invariant', 'broken'))).to.equal(1);
    expect(exitCodeFor(new Error('boom'))).to.equal(1);
    expect(exitCodeFor('a string')).to.equal(1);
    expect(exitCodeFor(undefined)).to.equal(1);
  });
});
