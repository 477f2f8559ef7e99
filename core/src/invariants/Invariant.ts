import type * as tf from '@tensorflow/tfjs';
import type { ExportCheck, ExportedKernel } from './ExportedKernel';
import type { OutputChannelLayout } from '../weights/outputChannelLayout';
import type { ProjectionTrait } from './ProjectionTrait';

/**
 * JSON-compatible value, as stored in saved optimization state.
 * @group Invariants
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * A named, checkable property of one weight tensor (DESIGN.md §2). The data `D` is what a plugin
 * hands over when it establishes the invariant (a mask, a cluster count, scales); it travels with
 * the optimization state to later stages.
 *
 * `check` runs on the projected weights every epoch by default (every step in tests), so it must
 * cost O(weights) with at most one read-back. The same invariant verifies every exported file:
 * `checkExported` if it has one, else `check` on the values read back from the file (see
 * {@link checkExportedKernel}); so a custom invariant is verified at export like the built-ins.
 * @group Invariants
 */
export interface Invariant<D = unknown> {
  /** Unique name, e.g. `'sparsity'`. Plugins declare invariants by this name. */
  readonly name: string;
  /** One line for error messages and docs. */
  readonly description: string;
  /**
   * How to get this invariant into a session, for composition errors: what establishes it, e.g.
   * `add sparsityConstraint() to keep the mask`. Default: `add a plugin that establishes '<name>'`.
   */
  readonly hint?: string;
  /**
   * Projection traits that keep this invariant (see {@link ProjectionTrait}): a plugin with one of
   * them preserves it without listing it in `preserves`. Default none.
   */
  readonly preservedBy?: readonly ProjectionTrait[];
  /** Returns `null` when `value` satisfies the invariant, else a short description of the violation. */
  check(value: tf.Tensor, data: D): string | null;
  /**
   * Checks a kernel read back from an exported file, for invariants whose file form differs from
   * the model's (quantized storage, folded BatchNorm). Without it, `check` runs on the file's
   * values with any folded factor divided back out (see {@link checkExportedKernel}).
   */
  checkExported?(kernel: ExportedKernel, data: D): ExportCheck;
  /** Serialise `data` for saved state (tensors become base64 strings). */
  encode(data: D): JsonValue;
  /** Inverse of `encode`; `shape` is the weight's shape. Throws a clear error on corrupt input. */
  decode(json: JsonValue, shape: readonly number[]): D;
  /**
   * Derive the invariant from a weight's values, as TFMOT does between stages; `null` if it does
   * not hold. `layout` is the weight's output-channel layout ({@link outputChannelLayout}; `null`
   * for vectors), for invariants that hold per output channel.
   */
  derive?(value: tf.Tensor, layout: OutputChannelLayout | null): D | null;
  /** Release tensors held by `data`. */
  dispose?(data: D): void;
}
