import { expect } from 'chai';
import { MAX_RECIPE_NESTING, recipeNestingIssue, tooDeep } from '../../../recipes/src/recipe/recipeNesting';

/** Arrays nested `depth` levels deep: depth 1 is `[]`. */
function nested(depth: number, leaf: unknown = 1): unknown {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

describe('recipeNesting', () => {
  it(`allows ${MAX_RECIPE_NESTING} levels of arrays and objects, not one more`, () => {
    expect(MAX_RECIPE_NESTING).to.equal(100);
    expect(recipeNestingIssue(nested(MAX_RECIPE_NESTING))).to.equal(null);
    expect(recipeNestingIssue(nested(MAX_RECIPE_NESTING + 1))).to.not.equal(null);
    // Scalars and real recipes are fine.
    expect(recipeNestingIssue(3)).to.equal(null);
    expect(recipeNestingIssue(null)).to.equal(null);
    expect(recipeNestingIssue({ stages: [{ plugins: [{ plugin: 'prune', layers: [{ select: ['/conv/'] }] }] }] })).to.equal(null);
  });

  it('the issue points at the first value one level too deep, with "/" and "~" in keys escaped', () => {
    let v: unknown = {};
    for (let i = 0; i < MAX_RECIPE_NESTING; i++) v = { 'a/b~c': v };
    const issue = recipeNestingIssue({ ok: 1, deep: v })!;
    expect(issue.path.startsWith('/deep/a~1b~0c/a~1b~0c/a~1b~0c/…(')).to.equal(true);
    expect(issue.message).to.equal(`nesting too deep: more than ${MAX_RECIPE_NESTING} levels of arrays and objects (a recipe needs fewer than 10)`);
  });

  it('is iterative: a value nested 100,000 levels deep is an issue, not a stack overflow', () => {
    const issue = recipeNestingIssue(nested(100_000));
    expect(issue!.message).to.match(/^nesting too deep/);
  });

  describe('tooDeep', () => {
    it('keeps short pointers and abbreviates long ones to their first four and last two levels', () => {
      expect(tooDeep('/a/b/c').path).to.equal('/a/b/c');
      expect(tooDeep('/1/2/3/4/5/6/7/8').path).to.equal('/1/2/3/4/5/6/7/8');
      expect(tooDeep('/1/2/3/4/5/6/7/8/9').path).to.equal('/1/2/3/4/…(3 more levels)…/8/9');
    });

    it('adds where the value is in the file, when known', () => {
      expect(tooDeep('/a', ' at line 3, column 7').message).to.equal(
        `nesting too deep: more than ${MAX_RECIPE_NESTING} levels of arrays and objects at line 3, column 7 (a recipe needs fewer than 10)`,
      );
    });
  });
});
