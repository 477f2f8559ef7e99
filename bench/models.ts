// Models the benchmarks share (uncompiled: each benchmark compiles as it needs).
import * as tf from '@tensorflow/tfjs';

/** tfjs-examples/mnist-node/model.js. */
export function mnistNodeCnn(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: [2, 2] }));
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: [2, 2] }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dropout({ rate: 0.25 }));
  model.add(tf.layers.dense({ units: 512, activation: 'relu' }));
  model.add(tf.layers.dropout({ rate: 0.5 }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}

/**
 * Keras' MobileNet v1 (Howard et al. 2017) in tfjs layers, layer for layer: zero padding before
 * stride-2 convolutions, conv 3x3/2, 13 blocks of depthwise 3x3 → BN → ReLU6 → pointwise 1x1 →
 * BN → ReLU6, global average pooling, a 1x1 convolution head and softmax. Defaults: alpha 1.0,
 * 224x224x3, 1000 classes (4.2M parameters).
 */
export function mobileNetV1(alpha = 1, inputShape: [number, number, number] = [224, 224, 3], classes = 1000): tf.LayersModel {
  const width = (filters: number) => Math.round(filters * alpha);
  const input = tf.input({ shape: inputShape, name: 'input' });
  let x = tf.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]], name: 'conv1_pad' }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: width(32), kernelSize: 3, strides: 2, padding: 'valid', useBias: false, name: 'conv1' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'conv1_bn' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ maxValue: 6, name: 'conv1_relu' }).apply(x) as tf.SymbolicTensor;
  const blocks: [number, number][] = [[64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2], [512, 1], [512, 1], [512, 1], [512, 1], [512, 1], [1024, 2], [1024, 1]];
  blocks.forEach(([filters, stride], i) => {
    const id = i + 1;
    if (stride === 2) x = tf.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]], name: `conv_pad_${id}` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.depthwiseConv2d({ kernelSize: 3, strides: stride, padding: stride === 1 ? 'same' : 'valid', useBias: false, name: `conv_dw_${id}` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ name: `conv_dw_${id}_bn` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU({ maxValue: 6, name: `conv_dw_${id}_relu` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.conv2d({ filters: width(filters), kernelSize: 1, useBias: false, name: `conv_pw_${id}` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ name: `conv_pw_${id}_bn` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU({ maxValue: 6, name: `conv_pw_${id}_relu` }).apply(x) as tf.SymbolicTensor;
  });
  x = tf.layers.globalAveragePooling2d({ name: 'global_average_pooling2d' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reshape({ targetShape: [1, 1, width(1024)], name: 'reshape_1' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({ rate: 0.001, name: 'dropout' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: classes, kernelSize: 1, name: 'conv_preds' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reshape({ targetShape: [classes], name: 'reshape_2' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.activation({ activation: 'softmax', name: 'predictions' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: `mobilenet_${alpha.toFixed(2)}_${inputShape[0]}` });
}

/**
 * DS-CNN (Zhang et al. 2017, "Hello Edge", the keyword-spotting network of the seed's class) on
 * 28x28x1: conv 5x5/2 (64) → BN → ReLU, then 4 blocks of depthwise 3x3 → BN → ReLU → pointwise
 * 1x1 (64) → BN → ReLU, global average pooling, dense softmax head.
 */
export function dsCnn(inputShape: [number, number, number] = [28, 28, 1], classes = 10): tf.LayersModel {
  const input = tf.input({ shape: inputShape, name: 'input' });
  let x = tf.layers.conv2d({ filters: 64, kernelSize: 5, strides: 2, padding: 'same', useBias: false, name: 'conv1' }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'conv1_bn' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ name: 'conv1_relu' }).apply(x) as tf.SymbolicTensor;
  for (let id = 1; id <= 4; id++) {
    x = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false, name: `dw_${id}` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ name: `dw_${id}_bn` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU({ name: `dw_${id}_relu` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.conv2d({ filters: 64, kernelSize: 1, useBias: false, name: `pw_${id}` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ name: `pw_${id}_bn` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU({ name: `pw_${id}_relu` }).apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: classes, activation: 'softmax', name: 'predictions' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'ds_cnn' });
}
