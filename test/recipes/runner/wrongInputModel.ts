/** A recipe model module whose input (32×32 RGB) does not fit MNIST: for the "data does not fit" error. */
import * as tf from '@tensorflow/tfjs';

export function createModel(): tf.LayersModel {
  return tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [32, 32, 3] }), tf.layers.dense({ units: 10, activation: 'softmax' })],
  });
}
