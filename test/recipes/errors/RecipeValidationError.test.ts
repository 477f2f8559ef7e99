import { expect } from 'chai';
import { CollabError } from '@collabopt/core';
import { RecipeValidationError } from '../../../recipes/src/errors/RecipeValidationError';

describe('RecipeValidationError', () => {
  it('heads the message with the source and the issue count, then one line per issue: pointer, message', () => {
    const e = new RecipeValidationError(
      [
        { path: '/stages/0/epochs', message: 'expected an integer >= 0, found -1' },
        { path: '/name', message: 'missing (required): expected a name' },
      ],
      'recipes/r.json',
    );
    expect(e.message).to.equal(
      'recipes/r.json: invalid recipe (2 issues)\n  /stages/0/epochs: expected an integer >= 0, found -1\n  /name: missing (required): expected a name',
    );
    expect(e.source).to.equal('recipes/r.json');
    expect(e.issues).to.have.length(2);
  });

  it("one issue is singular; without a source the recipe is called 'recipe'; the empty pointer is the whole recipe", () => {
    const e = new RecipeValidationError([{ path: '', message: 'JSON syntax error at line 1, column 1: x' }]);
    expect(e.message).to.equal('recipe: invalid recipe (1 issue)\n  (recipe): JSON syntax error at line 1, column 1: x');
    expect(e.source).to.equal(undefined);
    expect(RecipeValidationError.formatIssue({ path: '/a', message: 'b' })).to.equal('/a: b');
  });

  it("is a CollabError with code 'recipe'", () => {
    const e = new RecipeValidationError([]);
    expect(e).to.be.instanceOf(CollabError);
    expect(e.code).to.equal('recipe');
    expect(e.name).to.equal('RecipeValidationError');
  });
});
