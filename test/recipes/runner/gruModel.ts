/**
 * A recipe model module with a GRU (MNIST rows as a sequence): TFLite holds it in float modes
 * only, so a recipe asking for an int8 export must fail before anything trains.
 */
import * as tf from '@tensorflow/tfjs';

export function createModel(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.reshape({ inputShape: [28, 28, 1], targetShape: [28, 28], name: 'rows' }),
      tf.layers.gru({ units: 8, name: 'gru' }),
      tf.layers.dense({ units: 10, activation: 'softmax', name: 'out' }),
    ],
  });
}
