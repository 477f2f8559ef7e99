import * as tf from '@tensorflow/tfjs';

/**
 * The MNIST CNN of the library recipes and the accuracy tests: conv8 → pool → conv16 → pool →
 * dense32 → dense10 (softmax), about 14k weights. Small enough to train in seconds on the wasm
 * backend, but a real CNN with every piece the plugins touch (conv and dense kernels, biases,
 * pooling, a softmax head). Initial weights are seeded, so every call builds the same model.
 */
export function mnistCnn(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu', name: 'conv1', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', name: 'conv2', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ units: 32, activation: 'relu', name: 'fc1', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
      tf.layers.dense({ units: 10, activation: 'softmax', name: 'fc2', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
    ],
  });
}
