import * as tf from '@tensorflow/tfjs';

/** Options of {@link mobileNetV1}. */
export interface MobileNetV1Options {
  /** Width multiplier α (filters × α). Default 1. */
  readonly alpha?: number;
  /** One sample's shape. Default `[224, 224, 3]`. Inputs smaller than 32×32 are zero-padded to 32×32 first. */
  readonly inputShape?: readonly [number, number, number];
  /** Softmax classes. Default 1000. */
  readonly classes?: number;
}

/**
 * Keras' MobileNet v1 (Howard et al. 2017) in tfjs layers, layer for layer: zero padding before
 * stride-2 convolutions, conv 3×3/2, 13 blocks of depthwise 3×3 → BN → ReLU6 → pointwise 1×1 →
 * BN → ReLU6, global average pooling, a 1×1 convolution head and softmax. With the defaults
 * (α 1, 224×224×3, 1000 classes) it has Keras' 4.2M parameters.
 *
 * Porting note: five stride-2 stages need at least 32×32 pixels; smaller inputs (28×28 MNIST)
 * are zero-padded to 32×32 by a first `input_pad` layer (the 28×28 datasets need it). Initial
 * weights are seeded, so every call builds the same model.
 */
export function mobileNetV1(options: MobileNetV1Options = {}): tf.LayersModel {
  const alpha = options.alpha ?? 1;
  const inputShape = options.inputShape ?? [224, 224, 3];
  const classes = options.classes ?? 1000;
  const width = (filters: number) => Math.max(1, Math.round(filters * alpha));
  let seed = 0;
  const init = () => tf.initializers.glorotUniform({ seed: ++seed });
  const input = tf.input({ shape: [...inputShape], name: 'input' });
  let x: tf.SymbolicTensor = input;
  const [h, w] = inputShape;
  if (h < 32 || w < 32) {
    const padH = Math.max(0, 32 - h);
    const padW = Math.max(0, 32 - w);
    x = tf.layers.zeroPadding2d({ padding: [[padH >> 1, padH - (padH >> 1)], [padW >> 1, padW - (padW >> 1)]], name: 'input_pad' }).apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]], name: 'conv1_pad' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: width(32), kernelSize: 3, strides: 2, padding: 'valid', useBias: false, name: 'conv1', kernelInitializer: init() }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'conv1_bn' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ maxValue: 6, name: 'conv1_relu' }).apply(x) as tf.SymbolicTensor;
  const blocks: [number, number][] = [[64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2], [512, 1], [512, 1], [512, 1], [512, 1], [512, 1], [1024, 2], [1024, 1]];
  blocks.forEach(([filters, stride], i) => {
    const id = i + 1;
    if (stride === 2) x = tf.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]], name: `conv_pad_${id}` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.depthwiseConv2d({ kernelSize: 3, strides: stride, padding: stride === 1 ? 'same' : 'valid', useBias: false, name: `conv_dw_${id}`, depthwiseInitializer: init() }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ name: `conv_dw_${id}_bn` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU({ maxValue: 6, name: `conv_dw_${id}_relu` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.conv2d({ filters: width(filters), kernelSize: 1, useBias: false, name: `conv_pw_${id}`, kernelInitializer: init() }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ name: `conv_pw_${id}_bn` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU({ maxValue: 6, name: `conv_pw_${id}_relu` }).apply(x) as tf.SymbolicTensor;
  });
  x = tf.layers.globalAveragePooling2d({ name: 'global_average_pooling2d' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reshape({ targetShape: [1, 1, width(1024)], name: 'reshape_1' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({ rate: 0.001, name: 'dropout' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: classes, kernelSize: 1, name: 'conv_preds', kernelInitializer: init() }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reshape({ targetShape: [classes], name: 'reshape_2' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.activation({ activation: 'softmax', name: 'predictions' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: `mobilenet_${alpha.toFixed(2)}_${inputShape[0]}` });
}
