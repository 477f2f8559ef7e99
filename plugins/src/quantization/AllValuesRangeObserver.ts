import * as tf from '@tensorflow/tfjs';
import { RangeObserver } from './RangeObserver';

/**
 * Options of {@link AllValuesRangeObserver}.
 * @group Quantization numerics
 */
export interface AllValuesRangeObserverOptions {
  /** Optional prefix of the variable names; see {@link RangeObserver}. */
  readonly name?: string;
}

/**
 * Running min/max over every value seen (TFMOT `AllValuesQuantizer`, used for model inputs):
 * starts at [0, 0] and, per batch, `min ← min(min, min(x), 0)`, `max ← max(max, max(x), 0)`.
 *
 * Model inputs come from a fixed preprocessing, so their full range is known after a few batches
 * and should not decay; an EMA ({@link MovingAverageRangeObserver}) would clip rare extremes.
 * @group Quantization numerics
 */
export class AllValuesRangeObserver extends RangeObserver {
  /** Starts at [0, 0]. */
  constructor(options: AllValuesRangeObserverOptions = {}) {
    super('AllValuesRangeObserver', 0, 0, options.name);
  }

  /** Widens the range to include this batch; no read-back. */
  update(x: tf.Tensor): void {
    this.checkAlive('update');
    if (this.observeNative(x, 'widen')) return;
    tf.tidy(() => {
      const [bMin, bMax] = this.batchRange(x);
      this.min.assign(tf.minimum(this.min, bMin));
      this.max.assign(tf.maximum(this.max, bMax));
    });
  }
}
