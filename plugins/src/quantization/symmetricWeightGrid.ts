import * as tf from '@tensorflow/tfjs';
import { FAKE_QUANT_SYMMETRIC_KERNEL } from '@collabopt/core';
import { symmetricQuantLevels } from './quantLevels';
import { symmetricWeightLevels } from './symmetricWeightLevels';
import { symmetricWeightScales, type SymmetricWeightQuantOptions } from './symmetricWeightScales';
import { weightChannelLayout } from './weightChannelLayout';

/**
 * How {@link symmetricWeightGrid} rounds: {@link symmetricWeightLevels}' `ties` and `clip`.
 * @group Quantization numerics
 */
export interface SymmetricWeightGridOptions extends SymmetricWeightQuantOptions {
  /** Exact ties away from zero (default, what export uses) or to even (`tf.round`, one pass). */
  readonly ties?: 'awayFromZero' | 'even';
  /** Clamp the levels to ±quantMax. Default true. */
  readonly clip?: boolean;
}

/**
 * What {@link symmetricWeightGrid} returns; the caller owns both tensors.
 * @group Quantization numerics
 */
export interface SymmetricWeightGridResult {
  /** The weight on its grid, `scale · level`, float32, the weight's shape. */
  readonly values: tf.Tensor;
  /** The scales, float32, shape `weightChannelLayout(...).broadcastShape` (a scalar per tensor). */
  readonly scales: tf.Tensor;
}

/**
 * A weight put on its symmetric narrow-range grid: `values = scale · level(w / scale)` with the
 * scales of {@link symmetricWeightScales} and the levels of {@link symmetricWeightLevels}, and the
 * scales themselves (shape `weightChannelLayout(...).broadcastShape`), both left on the backend.
 *
 * Where collabopt's native kernel {@link FAKE_QUANT_SYMMETRIC_KERNEL} is registered (Node, wasm
 * backend) this is one kernel of two passes; elsewhere the composite of tfjs ops. Both compute
 * the same float32 operations, so the values and scales are bit-identical on wasm
 * (`test/plugins/quantization/symmetricWeightGrid.test.ts`).
 *
 * No gradient of its own: callers wrap it (the straight-through identity of
 * {@link fakeQuantWeightsSymmetric}) or use it as a projection.
 *
 * @returns new float32 tensors; the caller owns both.
 * @throws RangeError for an invalid bit width or granularity (see {@link weightChannelLayout}).
 * @group Quantization numerics
 */
export function symmetricWeightGrid(weights: tf.Tensor, options: SymmetricWeightGridOptions = {}): SymmetricWeightGridResult {
  const numBits = options.numBits ?? 8;
  const granularity = options.granularity ?? { kind: 'perTensor' };
  const layout = weightChannelLayout(weights.shape, granularity);
  const ties = options.ties ?? 'awayFromZero';
  const clip = options.clip ?? true;
  const [values, scales] = tf.tidy(() => {
    const w = weights.dtype === 'float32' ? weights : tf.cast(weights, 'float32');
    if (tf.getKernel(FAKE_QUANT_SYMMETRIC_KERNEL, tf.getBackend()) != null) {
      // Validates numBits the way the composite does, before the kernel sees it.
      symmetricQuantLevels(numBits);
      const attrs = { channels: layout.channelCount, inner: layout.inner, numBits, ties, clip };
      const [y, s] = tf.engine().runKernel(FAKE_QUANT_SYMMETRIC_KERNEL, { x: w }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      return [y!, tf.reshape(s!, layout.broadcastShape)];
    }
    const s = symmetricWeightScales(w, { numBits, granularity });
    return [tf.mul(symmetricWeightLevels(w, s, numBits, { ties, clip }), s), s];
  });
  return { values, scales };
}
