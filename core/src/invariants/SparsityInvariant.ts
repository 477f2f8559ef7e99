import * as tf from '@tensorflow/tfjs';
import { StateError } from '../errors/StateError';
import { base64ToBytes, bytesToBase64, packBits, unpackBits } from '../util/base64';
import type { Invariant, JsonValue } from './Invariant';
import { registerInvariant } from './InvariantRegistry';

/**
 * Data of the `sparsity` invariant: a fixed 0/1 mask (float32, the weight's shape).
 * @group Invariants
 */
export interface SparsityData {
  /** 1 where the weight may be non-zero, 0 where it must stay exactly zero. Owned by the state. */
  readonly mask: tf.Tensor;
}

/**
 * `sparsity`: a fixed mask — positions that are pruned stay exactly zero. Established by `prune`
 * when its schedule ends and by `sparsityConstraint`; preserved by clustering (zero centroid
 * pinned) and by symmetric quantization (0 maps to 0).
 * @group Invariants
 */
export const SparsityInvariant: Invariant<SparsityData> = registerInvariant<SparsityData>({
  name: 'sparsity',
  description: 'pruned positions (mask = 0) stay exactly zero',
  hint: 'add sparsityConstraint() to keep the mask (PQAT = sparsityConstraint + quantize)',
  preservedBy: ['zero-preserving'],
  check(value, data) {
    const bad = tf.tidy(() =>
      tf.sum(tf.cast(tf.logicalAnd(tf.equal(data.mask, 0), tf.notEqual(value, 0)), 'int32')).dataSync()[0],
    );
    if (bad === 0) return null;
    const pruned = tf.tidy(() => tf.sum(tf.equal(data.mask, 0).asType('int32')).dataSync()[0]);
    return `${bad} of ${pruned} pruned positions are non-zero`;
  },
  // Folding a BatchNorm scales a channel, which keeps zeros: the file's own values are judged.
  // More zeros than the mask are fine (int8 rounds tiny weights to 0).
  checkExported(kernel, data) {
    const mask = data.mask.dataSync();
    const values = kernel.values;
    for (let k = 0; k < values.length; k++) {
      if (mask[k] === 0 && values[k] !== 0) return { violation: `the pruned position${kernel.position(k)} holds ${values[k]}` };
    }
    return { violation: null };
  },
  encode(data) {
    return { bits: bytesToBase64(packBits(data.mask.dataSync())) } as JsonValue;
  },
  decode(json, shape) {
    const bits = (json as { bits?: unknown } | null)?.bits;
    if (typeof bits !== 'string') throw new StateError(`sparsity: saved mask is missing its 'bits' string`);
    const size = shape.reduce((a, b) => a * b, 1);
    let values: Float32Array;
    try {
      values = unpackBits(base64ToBytes(bits), size);
    } catch (e) {
      throw new StateError(`sparsity: saved mask is corrupt: ${(e as Error).message}`);
    }
    return { mask: tf.tensor(values, [...shape], 'float32') };
  },
  derive(value) {
    const zeros = tf.tidy(() => tf.sum(tf.equal(value, 0).asType('int32')).dataSync()[0]);
    if (zeros === 0) return null;
    return { mask: tf.tidy(() => tf.notEqual(value, 0).asType('float32')) };
  },
  dispose(data) {
    data.mask.dispose();
  },
});
