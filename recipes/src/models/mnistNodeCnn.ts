import * as tf from '@tensorflow/tfjs';

/**
 * The CNN of tfjs-examples/mnist-node (`model.js`), layer for layer: conv 32 → conv 32 → pool →
 * conv 64 → conv 64 → pool → flatten → dropout 0.25 → dense 512 → dropout 0.5 → dense 10 softmax
 * (about 600k weights), on 28×28×1. Initial weights are seeded, so every call builds the same
 * model.
 */
export function mnistNodeCnn(): tf.LayersModel {
  let seed = 0;
  const init = () => tf.initializers.glorotUniform({ seed: ++seed });
  const model = tf.sequential({ name: 'mnist_node_cnn' });
  model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu', name: 'conv1', kernelInitializer: init() }));
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', name: 'conv2', kernelInitializer: init() }));
  model.add(tf.layers.maxPooling2d({ poolSize: [2, 2], name: 'pool1' }));
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', name: 'conv3', kernelInitializer: init() }));
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', name: 'conv4', kernelInitializer: init() }));
  model.add(tf.layers.maxPooling2d({ poolSize: [2, 2], name: 'pool2' }));
  model.add(tf.layers.flatten({ name: 'flatten' }));
  model.add(tf.layers.dropout({ rate: 0.25, name: 'dropout1' }));
  model.add(tf.layers.dense({ units: 512, activation: 'relu', name: 'fc1', kernelInitializer: init() }));
  model.add(tf.layers.dropout({ rate: 0.5, name: 'dropout2' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax', name: 'fc2', kernelInitializer: init() }));
  return model;
}
