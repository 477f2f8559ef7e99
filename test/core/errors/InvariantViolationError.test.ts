import { expect } from 'chai';
import { InvariantViolationError } from '../../../core/src/errors/InvariantViolationError';

describe('InvariantViolationError', () => {
  it('names the weight, the invariant, the step, what is wrong and who established it, and says what went wrong', () => {
    const e = new InvariantViolationError('conv/kernel', 'sparsity', 42, '3 of 10 pruned positions are non-zero (checked at step 42)', "stage 'prune'");
    expect(e.message).to.equal(
      "invariant 'sparsity' violated on weight 'conv/kernel' at step 42: 3 of 10 pruned positions are non-zero (checked at step 42) " +
        "(established by stage 'prune'). A plugin changed this weight without preserving 'sparsity'.",
    );
    expect(e).to.deep.include({ weight: 'conv/kernel', invariant: 'sparsity', step: 42, code: 'invariant-violation' });
  });
});
