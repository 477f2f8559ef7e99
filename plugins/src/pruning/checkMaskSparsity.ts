import { describeValue } from '@collabopt/core';

/**
 * Checks the sparsity argument of a mask function. 1 is accepted (the mask then keeps exactly one
 * weight, as TFMOT's `max(k, 1)` does) so that a custom schedule returning 1 prunes as hard as
 * possible instead of failing mid-training.
 *
 * @param where - the caller and weight, for the error message.
 * @param sparsity - the value to check.
 * @throws RangeError unless `sparsity` is a number in [0, 1].
 */
export function checkMaskSparsity(where: string, sparsity: unknown): asserts sparsity is number {
  if (typeof sparsity !== 'number' || !(sparsity >= 0 && sparsity <= 1)) {
    throw new RangeError(`${where}: sparsity must be a number in [0, 1], received ${describeValue(sparsity)}`);
  }
}
