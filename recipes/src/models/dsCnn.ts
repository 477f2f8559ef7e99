import * as tf from '@tensorflow/tfjs';

/** DS-CNN sizes of ARM's ML-KWS-for-MCU (Zhang et al. 2017, "Hello Edge"). */
export type DsCnnSize = 'S' | 'M' | 'L';

/** Filters per layer and number of depthwise-separable blocks of each size, as in ML-KWS's `model_size_info`. */
export const DS_CNN_SIZES: Readonly<Record<DsCnnSize, { readonly filters: number; readonly blocks: number; readonly firstBlockStride: number }>> = Object.freeze({
  S: Object.freeze({ filters: 64, blocks: 4, firstBlockStride: 1 }),
  M: Object.freeze({ filters: 172, blocks: 4, firstBlockStride: 2 }),
  L: Object.freeze({ filters: 276, blocks: 5, firstBlockStride: 2 }),
});

/** Options of {@link dsCnn}. */
export interface DsCnnOptions {
  /** `S`, `M` or `L` (filters 64/172/276, 4/4/5 blocks). Default `S`. */
  readonly size?: DsCnnSize;
  /** One sample's shape. Default `[28, 28, 1]`. */
  readonly inputShape?: readonly [number, number, number];
  /** Softmax classes. Default 10. */
  readonly classes?: number;
}

/**
 * DS-CNN, the keyword-spotting network of the seed's results (ARM ML-KWS-for-MCU): conv → BN →
 * ReLU, then blocks of depthwise 3×3 → BN → ReLU → pointwise 1×1 → BN → ReLU, global average
 * pooling, dense softmax head. Convolutions have no bias (BatchNormalization follows each).
 *
 * Porting note: ML-KWS's first convolution is 10×4 with stride (2, 1) (M, L) for 49×10 MFCC
 * frames; on square images collabopt uses a 5×5 kernel with stride 2 and square strides
 * throughout, keeping the filters, block counts and first-block stride of each size. Initial
 * weights are seeded, so every call builds the same model.
 */
export function dsCnn(options: DsCnnOptions = {}): tf.LayersModel {
  const { filters, blocks, firstBlockStride } = DS_CNN_SIZES[options.size ?? 'S'];
  const classes = options.classes ?? 10;
  let seed = 0;
  const init = () => tf.initializers.glorotUniform({ seed: ++seed });
  const input = tf.input({ shape: [...(options.inputShape ?? [28, 28, 1])], name: 'input' });
  let x = tf.layers.conv2d({ filters, kernelSize: 5, strides: 2, padding: 'same', useBias: false, name: 'conv1', kernelInitializer: init() }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'conv1_bn' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ name: 'conv1_relu' }).apply(x) as tf.SymbolicTensor;
  for (let id = 1; id <= blocks; id++) {
    const strides = id === 1 ? firstBlockStride : 1;
    x = tf.layers.depthwiseConv2d({ kernelSize: 3, strides, padding: 'same', useBias: false, name: `dw_${id}`, depthwiseInitializer: init() }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ name: `dw_${id}_bn` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU({ name: `dw_${id}_relu` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.conv2d({ filters, kernelSize: 1, useBias: false, name: `pw_${id}`, kernelInitializer: init() }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ name: `pw_${id}_bn` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU({ name: `pw_${id}_relu` }).apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: classes, activation: 'softmax', name: 'predictions', kernelInitializer: init() }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: `ds_cnn_${(options.size ?? 'S').toLowerCase()}` });
}
