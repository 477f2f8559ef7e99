import { describeType, describeValue } from '@collabopt/core';
import { countDistinct } from './countDistinct';

/** Options of {@link validateClusteringInput}. */
export interface ClusteringInputCheck {
  /**
   * What to call the weights in error messages (default `"weights"`), e.g. `"weights (channel 3)"`,
   * so an error points at the exact slice that was bad.
   */
  label?: string;
  /**
   * Require at least `k` distinct values (or, with `preserveSparsity`, at least `k - 1` distinct
   * non-zero values), so that every centroid can own a distinct value. Default `false`.
   */
  requireDistinct?: boolean;
  /** Count the pinned zero centroid separately (see `requireDistinct`). Default `false`. */
  preserveSparsity?: boolean;
}

/**
 * Checks the inputs every clustering routine shares and throws a `RangeError`/`TypeError` that
 * names the argument and the offending value:
 * - `weights` is a non-empty `Float32Array` of finite numbers (NaN/±Infinity are rejected with
 *   their index: a single NaN would otherwise silently poison min/max, the CDF and every mean);
 * - `k` is an integer `>= 1` and `<= weights.length`;
 * - optionally (see {@link ClusteringInputCheck.requireDistinct}) `k` does not exceed the number
 *   of distinct values.
 *
 * Cost: one O(n) pass; the distinct count stops as soon as `k` distinct values were seen.
 */
export function validateClusteringInput(
  weights: Float32Array,
  k: number,
  check: ClusteringInputCheck = {},
): void {
  const label = check.label ?? 'weights';
  if (!(weights instanceof Float32Array)) {
    throw new TypeError(`${label} must be a Float32Array, got ${describeType(weights)}`);
  }
  if (weights.length === 0) {
    throw new RangeError(`${label} is empty; there is nothing to cluster`);
  }
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) {
    throw new RangeError(`k (number of clusters) must be an integer >= 1, got ${describeValue(k)}`);
  }
  if (k > weights.length) {
    throw new RangeError(
      `k (number of clusters) = ${k} exceeds the number of values (${weights.length}) in ${label}`,
    );
  }
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    // w - w is 0 for every finite w and NaN for NaN and ±Infinity: one test covers both.
    if (w - w !== 0) {
      throw new RangeError(`${label}[${i}] is ${w}; clustering needs finite weights`);
    }
  }
  if (check.requireDistinct) {
    const sparse = check.preserveSparsity === true;
    const needed = sparse ? k - 1 : k;
    const distinct = countDistinct(weights, needed, sparse ? 'nonZero' : 'all');
    if (distinct < needed) {
      throw new RangeError(
        sparse
          ? `k (number of clusters) = ${k} needs ${needed} distinct non-zero values besides the ` +
              `pinned zero centroid, but there are only ${distinct} in ${label}; use k <= ${distinct + 1}`
          : `k (number of clusters) = ${k} exceeds the number of distinct values (${distinct}) ` +
              `in ${label}; use k <= ${distinct}`,
      );
    }
  }
}

