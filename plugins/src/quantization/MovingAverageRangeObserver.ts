import * as tf from '@tensorflow/tfjs';
import { RangeObserver, type ObservedRange } from './RangeObserver';

/**
 * Options of {@link MovingAverageRangeObserver}.
 * @group Quantization numerics
 */
export interface MovingAverageRangeObserverOptions {
  /** EMA decay in [0, 1). Default 0.999 (TFMOT's `MovingAverageQuantizer`). */
  readonly decay?: number;
  /** Starting lower end, finite and ≤ 0. Default −6 (TFMOT). */
  readonly initialMin?: number;
  /** Starting upper end, finite and ≥ 0. Default 6 (TFMOT). */
  readonly initialMax?: number;
  /**
   * Take the first batch's range as is, then average from there. Default false (TFMOT: average
   * from the initial range from the first batch on).
   */
  readonly startFromFirstBatch?: boolean;
  /** Optional prefix of the variable names; see {@link RangeObserver}. */
  readonly name?: string;
}

/**
 * Activation range as an exponential moving average of batch ranges (TFMOT `MovingAvgQuantize`,
 * per tensor): for each batch, with `b = [min(min(x), 0), max(max(x), 0)]`,
 * `v ← v − (1 − decay) · (v − b)` for each end, computed in float32 in that order, like TF's
 * `assign_moving_average(..., zero_debias=False)`. No zero-debiasing: with a start at 0 and decay
 * 0.999, batches [−1, 1] then [0, 0] give ±0.000999 (TFMOT's `quant_ops_test` golden); with
 * debiasing it would be ≈ ±0.49975.
 *
 * How it starts: at `[initialMin, initialMax]`, by default TFMOT's [−6, 6], so the range moves
 * from ±6 towards the data by 0.1% per batch (it takes about 700 batches to cover half the
 * distance). With `startFromFirstBatch`, the first batch's range replaces the initial one outright
 * and the averaging starts from there. Whether a batch has been folded in is known in JS (tfjs
 * runs every op eagerly), so the choice needs neither a read-back nor kernels of its own.
 *
 * Porting note: TFMOT always starts at ±6; the start is configurable here and ±6 stays the default.
 * @group Quantization numerics
 */
export class MovingAverageRangeObserver extends RangeObserver {
  /** EMA decay in [0, 1). */
  readonly decay: number;
  /** Whether the first batch replaces the initial range. */
  readonly startFromFirstBatch: boolean;
  /** TF converts `1 − decay` (computed in double) to float32 once; so do we. */
  private readonly rate: number;
  /** Whether the range holds a batch (or a restored range) yet; drives `startFromFirstBatch`. */
  private started = false;

  /**
   * @throws RangeError for a decay outside [0, 1) or an initial range that is not finite with
   *   min ≤ 0 ≤ max.
   */
  constructor(options: MovingAverageRangeObserverOptions = {}) {
    const decay = options.decay ?? 0.999;
    if (typeof decay !== 'number' || !(decay >= 0 && decay < 1)) {
      throw new RangeError(`MovingAverageRangeObserver: decay must be a number in [0, 1), got ${String(decay)}`);
    }
    super('MovingAverageRangeObserver', options.initialMin ?? -6, options.initialMax ?? 6, options.name);
    this.decay = decay;
    this.rate = Math.fround(1 - decay);
    this.startFromFirstBatch = options.startFromFirstBatch ?? false;
  }

  /** Folds one batch into the moving average; no read-back. */
  update(x: tf.Tensor): void {
    this.checkAlive('update');
    const replace = this.startFromFirstBatch && !this.started;
    if (!this.observeNative(x, replace ? 'replace' : 'movingAverage', this.rate)) {
      tf.tidy(() => {
        const [bMin, bMax] = this.batchRange(x);
        if (replace) {
          this.min.assign(bMin);
          this.max.assign(bMax);
        } else {
          this.min.assign(tf.sub(this.min, tf.mul(tf.sub(this.min, bMin), this.rate)));
          this.max.assign(tf.sub(this.max, tf.mul(tf.sub(this.max, bMax), this.rate)));
        }
      });
    }
    this.started = true;
  }

  /** Overwrites the range; a restored observer counts as started. */
  override restore(range: ObservedRange): void {
    super.restore(range);
    this.started = true;
  }
}
