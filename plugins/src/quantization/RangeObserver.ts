import * as tf from '@tensorflow/tfjs';
import { RANGE_OBSERVE_KERNEL } from '@collabopt/core';

/**
 * A range read back from an observer, or restored into one.
 * @group Quantization numerics
 */
export interface ObservedRange {
  /** Lower end, ≤ 0. */
  readonly min: number;
  /** Upper end, ≥ 0. */
  readonly max: number;
}

/**
 * Tracks the range of a tensor over training batches in two `tf.Variable`s, for asymmetric
 * fake-quant ({@link fakeQuantAsymmetric}) and int8 export ({@link activationQuantParams}).
 *
 * `update` runs on the backend only (reductions and `Variable.assign`, no read-back; one native
 * kernel where collabopt's addon registered it), so a forward pass can call it every batch and
 * pass `min`/`max` straight to the fake-quant. Call `update`
 * before fake-quantizing the same batch: TFMOT fake-quantizes each training batch with the range
 * that batch just updated. In inference, use the stored range without updating.
 *
 * The range always contains 0 (TFMOT's rule: TFLite needs real 0 to be exactly representable, for
 * zero padding and ReLU), so `min ≤ 0 ≤ max` holds at all times.
 * @group Quantization numerics
 */
export abstract class RangeObserver {
  /** Non-trainable float32 scalar variable holding the lower end. */
  readonly min: tf.Variable;
  /** Non-trainable float32 scalar variable holding the upper end. */
  readonly max: tf.Variable;
  private disposed = false;

  /**
   * @param kind class name, used in error messages.
   * @param initialMin starting lower end (finite, ≤ 0).
   * @param initialMax starting upper end (finite, ≥ 0).
   * @param name optional prefix of the variable names (`<name>/min`, `<name>/max`); tfjs requires
   *   variable names to be unique, so leave it out unless the names matter.
   */
  protected constructor(
    protected readonly kind: string,
    initialMin: number,
    initialMax: number,
    name?: string,
  ) {
    RangeObserver.checkRange(`${kind}: the initial range`, initialMin, initialMax);
    this.min = RangeObserver.scalarVariable(initialMin, name === undefined ? undefined : `${name}/min`);
    this.max = RangeObserver.scalarVariable(initialMax, name === undefined ? undefined : `${name}/max`);
  }

  /** Folds one batch into the range, on the backend. `x` may have any shape but must not be empty. */
  abstract update(x: tf.Tensor): void;

  /** Reads the range back, for export and for saving optimization state. */
  async read(): Promise<ObservedRange> {
    this.checkAlive('read');
    const [lo, hi] = await Promise.all([this.min.data(), this.max.data()]);
    return { min: lo[0], max: hi[0] };
  }

  /**
   * Overwrites the range, e.g. from saved optimization state.
   * @throws RangeError unless min and max are finite with min ≤ 0 ≤ max.
   */
  restore(range: ObservedRange): void {
    this.checkAlive('restore');
    RangeObserver.checkRange(`${this.kind}.restore: range`, range.min, range.max);
    tf.tidy(() => {
      this.min.assign(tf.scalar(range.min, 'float32'));
      this.max.assign(tf.scalar(range.max, 'float32'));
    });
  }

  /** Releases the variables; any later call throws. Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.min.dispose();
    this.max.dispose();
  }

  /** Throws a clear error when the observer is used after {@link RangeObserver.dispose}. */
  protected checkAlive(method: string): void {
    if (this.disposed) throw new Error(`${this.kind}.${method}: the observer was disposed`);
  }

  /**
   * Folds a batch in with collabopt's native kernel {@link RANGE_OBSERVE_KERNEL} where it is
   * registered (Node, wasm backend): one pass over `x` for its min and max and no scalar kernels,
   * with the same float32 operations (so the same bits) as the ops of the subclasses' `update`.
   * Returns false, doing nothing, where the kernel is absent or `x` is not a non-empty float32
   * tensor (the ops then run, and report an empty batch).
   */
  protected observeNative(x: tf.Tensor, mode: 'movingAverage' | 'replace' | 'widen', rate = 0): boolean {
    if (x.dtype !== 'float32' || x.size === 0 || tf.getKernel(RANGE_OBSERVE_KERNEL, tf.getBackend()) == null) return false;
    tf.tidy(() => {
      const [lo, hi] = tf.engine().runKernel(RANGE_OBSERVE_KERNEL, { x, min: this.min, max: this.max }, { mode, rate }) as tf.Tensor[];
      this.min.assign(lo!);
      this.max.assign(hi!);
    });
    return true;
  }

  /**
   * The batch range `[min(min(x), 0), max(max(x), 0)]` as float32 scalars (TFMOT widens every
   * batch range to contain 0 before folding it in). Call inside a tidy.
   * @throws RangeError for an empty tensor, which has no range.
   */
  protected batchRange(x: tf.Tensor): [tf.Scalar, tf.Scalar] {
    if (x.size === 0) {
      throw new RangeError(`${this.kind}.update: x is empty (shape [${x.shape.join(', ')}]); an empty batch has no range`);
    }
    const v = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
    return [tf.minimum(tf.min(v), 0), tf.maximum(tf.max(v), 0)];
  }

  private static checkRange(what: string, min: number, max: number): void {
    if (typeof min !== 'number' || typeof max !== 'number' || !Number.isFinite(min) || !Number.isFinite(max) || !(min <= 0) || !(max >= 0)) {
      throw new RangeError(`${what} must be finite with min <= 0 <= max, got min ${String(min)}, max ${String(max)}`);
    }
  }

  private static scalarVariable(value: number, name: string | undefined): tf.Variable {
    const init = tf.scalar(value, 'float32');
    try {
      return tf.variable(init, false, name);
    } finally {
      init.dispose();
    }
  }
}
