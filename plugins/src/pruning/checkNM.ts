import { describeValue } from '@collabopt/core';

/**
 * Validates an N:M pattern (`m` zeros in every `n` consecutive weights).
 *
 * @param where - the caller and weight, for error messages.
 * @param m - zeros per group.
 * @param n - group length.
 * @returns `{ m, n }`, narrowed to numbers.
 * @throws RangeError unless both are integers with 0 < m < n.
 */
export function checkNM(where: string, m: unknown, n: unknown): { m: number; n: number } {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 2) {
    throw new RangeError(`${where}: n (group length) must be an integer >= 2, received ${describeValue(n)}`);
  }
  if (typeof m !== 'number' || !Number.isSafeInteger(m) || m <= 0 || m >= n) {
    throw new RangeError(`${where}: m (zeros per group) must be an integer with 0 < m < n (n = ${n}), received ${describeValue(m)}`);
  }
  return { m, n };
}
