import * as tf from '@tensorflow/tfjs';

/** How a merge layer the int8 file writes as a chain of binary operators computes. */
export interface ChainedMerge {
  /** The binary operator of the chain, on two inputs (or a partial result and the next input). */
  readonly combine: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;
  /** What the chain's last result becomes (Average: divided by the input count). */
  readonly finish: (acc: tf.Tensor, n: number) => tf.Tensor;
}

/**
 * The merge layers the TFLite exporter writes as a chain of binary operators, by class: Add (ADD),
 * Multiply (MUL), Average (ADD, then MUL by 1/n). With three or more inputs each partial result is
 * a tensor of the int8 file with a grid of its own (`mergePartialRangeKey`): the quantize plugin
 * rounds there and `observeActivationRanges` records it, both computing the chain from this table.
 * @group Export: TFLite
 */
export const CHAINED_MERGES: Readonly<Record<string, ChainedMerge>> = Object.freeze({
  Add: { combine: tf.add, finish: (acc) => acc },
  Multiply: { combine: tf.mul, finish: (acc) => acc },
  Average: { combine: tf.add, finish: (acc, n) => tf.mul(acc, 1 / n) },
});
