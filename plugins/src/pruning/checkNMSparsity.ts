import { describeValue } from '@collabopt/core';
import * as tf from '@tensorflow/tfjs';
import { checkNM } from './checkNM';
import { nmGroupLayout, type NMLayout } from './nmGroupLayout';

/**
 * A kernel given as plain values, e.g. int8 data read back from a `.tflite` file.
 * @group Pruning masks
 */
export interface NMKernel {
  /** Row-major values; only zero / non-zero matters. */
  readonly values: ArrayLike<number>;
  /** The kernel's shape; `values.length` must equal its product. */
  readonly shape: readonly number[];
}

/**
 * Options of {@link checkNMSparsity}.
 * @group Pruning masks
 */
export interface NMCheckOptions {
  /** Zeros required per group. Default 2. */
  readonly m?: number;
  /** Group length. Default 4. Requires 0 < m < n. */
  readonly n?: number;
  /** Layout of the kernel (see `NMLayout`). Default `'tf'`. */
  readonly layout?: NMLayout;
  /** At most this many violations are listed (all are counted). Default 100. */
  readonly maxViolations?: number;
  /** Name of the weight, used in error messages. */
  readonly label?: string;
}

/**
 * One N:M group with too many non-zeros.
 * @group Pruning masks
 */
export interface NMViolation {
  /** Index of the group in TFLite order: `row * ceil(cols / n) + column / n`. */
  readonly group: number;
  /** Row of the rearranged `[rows, in]` matrix (output channel, times h*w for Conv2D). */
  readonly row: number;
  /** First input channel of the group. */
  readonly column: number;
  /** Non-zeros found in the group (more than `n - m`). */
  readonly nonZeros: number;
}

/**
 * Result of {@link checkNMSparsity}.
 * @group Pruning masks
 */
export interface NMCheckResult {
  /** True when no group has more than `n - m` non-zeros. */
  readonly ok: boolean;
  /** Groups checked, including short last groups. */
  readonly groups: number;
  /** Non-zeros allowed per group: `n - m`. */
  readonly allowedNonZeros: number;
  /** Number of violating groups. */
  readonly violationCount: number;
  /** The first `maxViolations` violating groups, in group order. */
  readonly violations: readonly NMViolation[];
}

/**
 * Verifies the N:M pattern on a kernel (TFMOT's `is_pruned_m_by_n`): no group of `n` consecutive
 * input channels, in TFLite order, holds more than `n - m` non-zeros. A short last group may hold
 * up to `n - m` as well. NaN counts as non-zero. Works on a live tensor or on plain values (such
 * as a kernel read back from an exported file) and costs one pass over the weights, so it is
 * cheap enough for a per-epoch invariant check.
 *
 * @param weights - the kernel: a tensor, or `{ values, shape }`.
 * @param options - see {@link NMCheckOptions}.
 * @returns whether the pattern holds, with the violating groups.
 * @throws RangeError for a bad m, n or maxViolations, or values that do not fill the shape;
 *   TypeError for unsupported ranks (the message lists the supported shapes) or a bad layout.
 * @group Pruning masks
 */
export function checkNMSparsity(weights: tf.Tensor | NMKernel, options: NMCheckOptions = {}): NMCheckResult {
  const where = `checkNMSparsity(${options.label ?? 'weights'})`;
  const { m, n } = checkNM(where, options.m ?? 2, options.n ?? 4);
  const layout: unknown = options.layout ?? 'tf';
  if (layout !== 'tf' && layout !== 'tflite') {
    throw new TypeError(`${where}: layout must be 'tf' or 'tflite', received ${describeValue(layout)}`);
  }
  const maxViolations = options.maxViolations ?? 100;
  if (!Number.isSafeInteger(maxViolations) || maxViolations < 0) {
    throw new RangeError(`${where}: maxViolations must be an integer >= 0, received ${describeValue(maxViolations)}`);
  }
  const { values, shape } = readKernel(weights, where);
  const view = nmGroupLayout(shape, layout, where);

  const allowed = n - m;
  const groupsPerRow = Math.ceil(view.cols / n);
  const violations: NMViolation[] = [];
  let violationCount = 0;
  const stride = view.colStride;
  for (let row = 0; row < view.rows; row++) {
    const base = view.rowBase(row);
    for (let g = 0; g < groupsPerRow; g++) {
      const start = g * n;
      const end = Math.min(start + n, view.cols);
      let nonZeros = 0;
      for (let c = start; c < end; c++) if (values[base + c * stride] !== 0) nonZeros++;
      if (nonZeros > allowed) {
        if (violationCount++ < maxViolations) {
          violations.push({ group: row * groupsPerRow + g, row, column: start, nonZeros });
        }
      }
    }
  }
  return { ok: violationCount === 0, groups: view.rows * groupsPerRow, allowedNonZeros: allowed, violationCount, violations };
}

function readKernel(weights: tf.Tensor | NMKernel, where: string): { values: ArrayLike<number>; shape: readonly number[] } {
  if (weights instanceof tf.Tensor) {
    if (weights.isDisposed) throw new TypeError(`${where}: weights tensor of shape [${weights.shape.join(', ')}] is already disposed`);
    return { values: weights.dataSync() as ArrayLike<number>, shape: weights.shape };
  }
  const candidate = weights as Partial<NMKernel> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    !Array.isArray(candidate.shape) ||
    !candidate.shape.every((d) => Number.isSafeInteger(d) && d >= 0) ||
    typeof candidate.values !== 'object' ||
    candidate.values === null ||
    typeof candidate.values.length !== 'number'
  ) {
    throw new TypeError(`${where}: weights must be a tf.Tensor or { values, shape }, received ${describeValue(weights)}`);
  }
  const size = candidate.shape.reduce((a, b) => a * b, 1);
  if (candidate.values.length !== size) {
    throw new RangeError(
      `${where}: ${candidate.values.length} values do not fill shape [${candidate.shape.join(', ')}] (${size} elements)`,
    );
  }
  return { values: candidate.values, shape: candidate.shape };
}
