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
 * MobileNet-v1 (Howard et al. 2017) at width multiplier 0.25: conv 3x3/2, then 13 blocks of
 * depthwise 3x3 → BN → ReLU6 → pointwise 1x1 → BN → ReLU6, global average pooling, dense 10.
 * 'same' padding throughout (Keras pads stride-2 layers explicitly; same shapes at even sizes).
 */
export function mobileNetV1(alpha = 0.25, inputShape: [number, number, number] = [32, 32, 3], classes = 10): tf.LayersModel {
  const input = tf.input({ shape: inputShape });
  const bnRelu6 = (t: tf.SymbolicTensor) =>
    tf.layers.reLU({ maxValue: 6 }).apply(tf.layers.batchNormalization().apply(t)) as tf.SymbolicTensor;
  let x = bnRelu6(tf.layers.conv2d({ filters: Math.round(32 * alpha), kernelSize: 3, strides: 2, padding: 'same', useBias: false }).apply(input) as tf.SymbolicTensor);
  const blocks: [number, number][] = [
    [64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2],
    [512, 1], [512, 1], [512, 1], [512, 1], [512, 1], [1024, 2], [1024, 1],
  ];
  for (const [filters, strides] of blocks) {
    x = bnRelu6(tf.layers.depthwiseConv2d({ kernelSize: 3, strides, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor);
    x = bnRelu6(tf.layers.conv2d({ filters: Math.round(filters * alpha), kernelSize: 1, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor);
  }
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const output = tf.layers.dense({ units: classes, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}
