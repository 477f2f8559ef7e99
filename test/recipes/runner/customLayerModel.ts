/**
 * A recipe model module with a user-defined layer class (no TFLite lowering): for "the export the
 * recipe asks for cannot be written" — an error before anything trains.
 */
import * as tf from '@tensorflow/tfjs';

/** Scales its input by 0.5: trivial, trainable-free, and unknown to every exporter. */
class HalfScale extends tf.layers.Layer {
  static readonly className = 'HalfScale';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, 0.5));
  }
  override getClassName(): string {
    return HalfScale.className;
  }
}
tf.serialization.registerClass(HalfScale);

export function createModel(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      new HalfScale({ name: 'half' }),
      tf.layers.dense({ units: 10, activation: 'softmax', name: 'out' }),
    ],
  });
}
