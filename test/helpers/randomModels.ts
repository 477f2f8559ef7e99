/**
 * Seeded random models built from the layer classes the int8 TFLite exporter supports, for the
 * int8 fidelity harness (bench/int8-fidelity.ts and the fidelity tests). Each seed gives the same
 * model, weights and BatchNormalization statistics every time; `describe` says what it holds so a
 * failing seed can be rebuilt and read.
 */
import * as tf from '@tensorflow/tfjs';
import { randomize } from '../plugins/export/tflite/fixtures';
import { mulberry32 } from './random';

/** A generated model and what it is made of. */
export interface RandomModel {
  readonly model: tf.LayersModel;
  /** The seed it was built from. */
  readonly seed: number;
  /** Layer classes in build order (one entry per layer, repeats kept). */
  readonly classes: readonly string[];
  /** One line: the blocks in order, e.g. `conv-bn-relu → sep → avgpool → add → gap → dense`. */
  readonly describe: string;
}

/** The blocks the generator draws from; each maps a 4-D tensor to a 4-D tensor. */
export const RANDOM_MODEL_BLOCKS = [
  'conv-bn-relu',
  'conv-relu6',
  'depthwise-bn-relu',
  'separable',
  'maxpool',
  'avgpool',
  'residual-add',
  'multiply',
  'concatenate',
  'standalone-bn',
  'linear',
  'zeropad',
] as const;

/**
 * Blocks of the activation and merge layers (LeakyReLU, PReLU, ELU, swish, gelu, hard-swish,
 * squeeze-excite, Maximum, Minimum, Average). Kept apart from {@link RANDOM_MODEL_BLOCKS}, which
 * the seeded corpus draws from by default, so the corpus seeds (and the README's measurements)
 * still name the same models; {@link ALL_RANDOM_MODEL_BLOCKS} draws from both.
 */
export const ACTIVATION_MERGE_BLOCKS = [
  'leaky-relu',
  'prelu',
  'elu',
  'conv-swish',
  'conv-gelu',
  'hard-swish',
  'squeeze-excite',
  'maximum',
  'minimum',
  'average',
] as const;

/**
 * The corpus's blocks and the activation and merge ones (the all-blocks corpus of the fidelity
 * test); the spatial blocks are drawn only from their own pool.
 */
export const ALL_RANDOM_MODEL_BLOCKS = [...RANDOM_MODEL_BLOCKS, ...ACTIVATION_MERGE_BLOCKS] as const;

/**
 * Spatial blocks (issue 16), drawn only when asked for (`options.pool`), so the default corpus
 * and its tested seeds stay as they were: a Conv2DTranspose upsampling, nearest upsampling then
 * cropping, a height/width Permute.
 */
export const SPATIAL_MODEL_BLOCKS = ['conv-transpose', 'upsample-crop', 'permute'] as const;

/** One block name. */
export type RandomModelBlock = (typeof ALL_RANDOM_MODEL_BLOCKS)[number] | (typeof SPATIAL_MODEL_BLOCKS)[number];

/** Options of {@link randomModel}. */
export interface RandomModelOptions {
  /** Forces the block list (e.g. single-block models). Default: 2–5 blocks drawn from the seed. */
  readonly blocks?: readonly RandomModelBlock[];
  /** Forces the head's activation. Default: softmax or linear, drawn from the seed. */
  readonly head?: 'softmax' | 'linear';
  /** The blocks drawn from when `blocks` is not given. Default {@link RANDOM_MODEL_BLOCKS}. */
  readonly pool?: readonly RandomModelBlock[];
}

/**
 * Builds model `seed`: input 12x12x3, 2–5 blocks, then a head (global average pooling or flatten,
 * then dense), as a functional model.
 */
export function randomModel(seed: number, options: RandomModelOptions = {}): RandomModel {
  const { blocks } = options;
  const rand = mulberry32(seed * 7919 + 17);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const chosen = blocks ?? Array.from({ length: 2 + Math.floor(rand() * 4) }, () => pick<RandomModelBlock>(options.pool ?? RANDOM_MODEL_BLOCKS));
  const built: RandomModelBlock[] = [];
  let n = 0;
  const name = (what: string) => `${what}_${n++}`;
  const input = tf.input({ shape: [12, 12, 3], name: 'x' });
  let x: tf.SymbolicTensor = input;
  const channels = () => x.shape[3] as number;
  const spatial = () => x.shape[1] as number;
  for (const block of chosen) {
    const filters = pick([4, 6, 8]);
    switch (block) {
      case 'conv-bn-relu':
        x = tf.layers.conv2d({ filters, kernelSize: 3, padding: pick(['same', 'valid'] as const), name: name('conv') }).apply(x) as tf.SymbolicTensor;
        x = tf.layers.batchNormalization({ name: name('bn') }).apply(x) as tf.SymbolicTensor;
        x = tf.layers.reLU({ name: name('relu') }).apply(x) as tf.SymbolicTensor;
        break;
      case 'conv-relu6':
        x = tf.layers.conv2d({ filters, kernelSize: pick([1, 3]), padding: 'same', strides: spatial() >= 8 ? pick([1, 2]) : 1, name: name('conv') }).apply(x) as tf.SymbolicTensor;
        x = tf.layers.reLU({ maxValue: 6, name: name('relu6') }).apply(x) as tf.SymbolicTensor;
        break;
      case 'depthwise-bn-relu':
        x = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', name: name('dw') }).apply(x) as tf.SymbolicTensor;
        x = tf.layers.batchNormalization({ name: name('bn') }).apply(x) as tf.SymbolicTensor;
        x = tf.layers.activation({ activation: 'relu', name: name('relu') }).apply(x) as tf.SymbolicTensor;
        break;
      case 'separable':
        x = tf.layers.separableConv2d({ filters, kernelSize: 3, padding: 'same', activation: pick(['relu', 'linear'] as const), name: name('sep') }).apply(x) as tf.SymbolicTensor;
        break;
      case 'maxpool':
        if (spatial() < 4) continue;
        x = tf.layers.maxPooling2d({ poolSize: 2, name: name('maxpool') }).apply(x) as tf.SymbolicTensor;
        break;
      case 'avgpool':
        if (spatial() < 4) continue;
        x = tf.layers.averagePooling2d({ poolSize: 2, name: name('avgpool') }).apply(x) as tf.SymbolicTensor;
        break;
      case 'residual-add': {
        const branch = tf.layers.conv2d({ filters: channels(), kernelSize: 3, padding: 'same', activation: 'relu', name: name('conv') }).apply(x) as tf.SymbolicTensor;
        x = tf.layers.add({ name: name('add') }).apply([x, branch]) as tf.SymbolicTensor;
        break;
      }
      case 'multiply': {
        const gate = tf.layers.conv2d({ filters: channels(), kernelSize: 1, activation: 'sigmoid', name: name('conv') }).apply(x) as tf.SymbolicTensor;
        x = tf.layers.multiply({ name: name('mul') }).apply([x, gate]) as tf.SymbolicTensor;
        break;
      }
      case 'concatenate': {
        const other = tf.layers.conv2d({ filters, kernelSize: 1, activation: 'relu', name: name('conv') }).apply(x) as tf.SymbolicTensor;
        x = tf.layers.concatenate({ name: name('concat') }).apply([x, other]) as tf.SymbolicTensor;
        break;
      }
      case 'standalone-bn':
        // After a pool nothing can absorb it: the exporter writes it as its own MUL/ADD.
        if (spatial() >= 4) x = tf.layers.maxPooling2d({ poolSize: 2, name: name('maxpool') }).apply(x) as tf.SymbolicTensor;
        x = tf.layers.batchNormalization({ name: name('bn') }).apply(x) as tf.SymbolicTensor;
        break;
      case 'linear':
        x = tf.layers.conv2d({ filters, kernelSize: 1, name: name('conv') }).apply(x) as tf.SymbolicTensor;
        x = tf.layers.activation({ activation: 'linear', name: name('linear') }).apply(x) as tf.SymbolicTensor;
        break;
      case 'zeropad':
        x = tf.layers.zeroPadding2d({ padding: 1, name: name('pad') }).apply(x) as tf.SymbolicTensor;
        break;
      case 'leaky-relu':
        x = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', name: name('conv') }).apply(x) as tf.SymbolicTensor;
        x = tf.layers.leakyReLU({ alpha: pick([0.1, 0.2, 0.3]), name: name('leaky') }).apply(x) as tf.SymbolicTensor;
        break;
      case 'prelu':
        x = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', name: name('conv') }).apply(x) as tf.SymbolicTensor;
        x = tf.layers.prelu({ sharedAxes: [1, 2], name: name('prelu') }).apply(x) as tf.SymbolicTensor;
        break;
      case 'elu':
        x = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', name: name('conv') }).apply(x) as tf.SymbolicTensor;
        x = tf.layers.elu({ name: name('elu') }).apply(x) as tf.SymbolicTensor;
        break;
      case 'conv-swish':
        x = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'swish', name: name('conv') }).apply(x) as tf.SymbolicTensor;
        break;
      case 'conv-gelu':
        x = tf.layers.conv2d({ filters, kernelSize: 1, activation: pick(['gelu', 'gelu_new'] as const), name: name('conv') }).apply(x) as tf.SymbolicTensor;
        break;
      case 'hard-swish': {
        x = tf.layers.conv2d({ filters, kernelSize: 1, name: name('conv') }).apply(x) as tf.SymbolicTensor;
        const gate = tf.layers.activation({ activation: 'hardSigmoid', name: name('hard_sigmoid') }).apply(x) as tf.SymbolicTensor;
        x = tf.layers.multiply({ name: name('hard_swish') }).apply([x, gate]) as tf.SymbolicTensor;
        break;
      }
      case 'squeeze-excite': {
        const c = channels();
        let s = tf.layers.globalAveragePooling2d({ name: name('se_gap') }).apply(x) as tf.SymbolicTensor;
        s = tf.layers.reshape({ targetShape: [1, 1, c], name: name('se_reshape') }).apply(s) as tf.SymbolicTensor;
        s = tf.layers.dense({ units: Math.max(2, Math.floor(c / 2)), activation: 'relu', name: name('se_reduce') }).apply(s) as tf.SymbolicTensor;
        s = tf.layers.dense({ units: c, activation: pick(['hardSigmoid', 'sigmoid'] as const), name: name('se_expand') }).apply(s) as tf.SymbolicTensor;
        x = tf.layers.multiply({ name: name('se_scale') }).apply([x, s]) as tf.SymbolicTensor;
        break;
      }
      case 'maximum':
      case 'minimum':
      case 'average': {
        const a = tf.layers.conv2d({ filters, kernelSize: 1, name: name('conv') }).apply(x) as tf.SymbolicTensor;
        const b = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: pick(['relu', 'linear'] as const), name: name('conv') }).apply(x) as tf.SymbolicTensor;
        const ins = block === 'average' && rand() < 0.5 ? [a, b, tf.layers.conv2d({ filters, kernelSize: 1, name: name('conv') }).apply(x) as tf.SymbolicTensor] : [a, b];
        const merge = block === 'maximum' ? tf.layers.maximum({ name: name('max') }) : block === 'minimum' ? tf.layers.minimum({ name: name('min') }) : tf.layers.average({ name: name('avg') });
        x = merge.apply(ins) as tf.SymbolicTensor;
        break;
      }
      case 'conv-transpose':
        if (spatial() > 12) continue;
        x = tf.layers.conv2dTranspose({ filters, kernelSize: pick([2, 3]), strides: 2, padding: pick(['same', 'valid'] as const), activation: pick(['relu', 'linear'] as const), name: name('deconv') }).apply(x) as tf.SymbolicTensor;
        break;
      case 'upsample-crop':
        if (spatial() > 12) continue;
        x = tf.layers.upSampling2d({ size: [2, 2], name: name('up') }).apply(x) as tf.SymbolicTensor;
        x = tf.layers.cropping2D({ cropping: [[1, 1], [1, 1]], name: name('crop') }).apply(x) as tf.SymbolicTensor;
        break;
      case 'permute':
        x = tf.layers.permute({ dims: [2, 1, 3], name: name('permute') }).apply(x) as tf.SymbolicTensor;
        break;
    }
    built.push(block);
  }
  let head: tf.SymbolicTensor =
    rand() < 0.5
      ? (tf.layers.globalAveragePooling2d({ name: name('gap') }).apply(x) as tf.SymbolicTensor)
      : (tf.layers.flatten({ name: name('flatten') }).apply(x) as tf.SymbolicTensor);
  const activation = pick(['softmax', 'linear'] as const);
  head = tf.layers.dense({ units: 5, activation: options.head ?? activation, name: name('dense') }).apply(head) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: head, name: `random_${seed}` });
  randomize(model, seed);
  return {
    model,
    seed,
    classes: model.layers.slice(1).map((l) => l.getClassName()),
    describe: [...built, `dense(${options.head ?? activation})`].join(' → '),
  };
}

/** Per-layer unit cases the block generator does not make (each: input 12x12x3, the case, a dense head). */
export const UNIT_CASES = {
  /** BatchNormalization on rank-2 data (after global average pooling): nothing can absorb it. */
  'rank2-bn': (x: tf.SymbolicTensor) => {
    const conv = tf.layers.conv2d({ filters: 6, kernelSize: 3, activation: 'relu', name: 'conv' }).apply(x) as tf.SymbolicTensor;
    const gap = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(conv) as tf.SymbolicTensor;
    return tf.layers.batchNormalization({ name: 'bn' }).apply(gap) as tf.SymbolicTensor;
  },
  /** AveragePooling2D with SAME padding that pads (3x3 windows, stride 2, on 10x10): border outputs average fewer cells. */
  'avgpool-same': (x: tf.SymbolicTensor) => {
    const conv = tf.layers.conv2d({ filters: 6, kernelSize: 3, activation: 'relu', name: 'conv' }).apply(x) as tf.SymbolicTensor;
    return tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same', name: 'avgpool' }).apply(conv) as tf.SymbolicTensor;
  },
  /** SeparableConv2D with a channel multiplier of 2 (tfjs's getConfig() leaves it out). */
  'separable-multiplier': (x: tf.SymbolicTensor) =>
    tf.layers.separableConv2d({ filters: 4, kernelSize: 3, padding: 'same', depthMultiplier: 2, activation: 'relu', name: 'sep' }).apply(x) as tf.SymbolicTensor,
  /** LeakyReLU after a linear conv (int8: MUL + MAXIMUM on the layer's grid). */
  'leaky-relu': (x: tf.SymbolicTensor) => {
    const conv = tf.layers.conv2d({ filters: 6, kernelSize: 3, name: 'conv' }).apply(x) as tf.SymbolicTensor;
    return tf.layers.leakyReLU({ alpha: 0.2, name: 'leaky' }).apply(conv) as tf.SymbolicTensor;
  },
  /** PReLU with one slope per channel (sharedAxes 1, 2), slopes quantized as a weight. */
  prelu: (x: tf.SymbolicTensor) => {
    const conv = tf.layers.conv2d({ filters: 6, kernelSize: 3, name: 'conv' }).apply(x) as tf.SymbolicTensor;
    return tf.layers.prelu({ sharedAxes: [1, 2], name: 'prelu' }).apply(conv) as tf.SymbolicTensor;
  },
  /** The ELU layer after a linear conv. */
  elu: (x: tf.SymbolicTensor) => {
    const conv = tf.layers.conv2d({ filters: 6, kernelSize: 3, name: 'conv' }).apply(x) as tf.SymbolicTensor;
    return tf.layers.elu({ name: 'elu' }).apply(conv) as tf.SymbolicTensor;
  },
  /** gelu as a conv's activation (GELU after the conv, the value between them quantized). */
  'conv-gelu': (x: tf.SymbolicTensor) => tf.layers.conv2d({ filters: 6, kernelSize: 3, activation: 'gelu', name: 'conv' }).apply(x) as tf.SymbolicTensor,
  /** swish as a conv's activation (LOGISTIC on its 1/256 grid, then MUL). */
  'conv-swish': (x: tf.SymbolicTensor) => tf.layers.conv2d({ filters: 6, kernelSize: 3, activation: 'swish', name: 'conv' }).apply(x) as tf.SymbolicTensor,
  /** Hard-swish as tfjs code builds it: x · hardSigmoid(x) (an Activation layer and a Multiply). */
  'hard-swish': (x: tf.SymbolicTensor) => {
    const conv = tf.layers.conv2d({ filters: 6, kernelSize: 3, name: 'conv' }).apply(x) as tf.SymbolicTensor;
    const gate = tf.layers.activation({ activation: 'hardSigmoid', name: 'hard_sigmoid' }).apply(conv) as tf.SymbolicTensor;
    return tf.layers.multiply({ name: 'hard_swish' }).apply([conv, gate]) as tf.SymbolicTensor;
  },
  /** Maximum of two conv branches (inputs requantized onto the layer's grid). */
  maximum: (x: tf.SymbolicTensor) => {
    const a = tf.layers.conv2d({ filters: 6, kernelSize: 3, name: 'conv_a' }).apply(x) as tf.SymbolicTensor;
    const b = tf.layers.conv2d({ filters: 6, kernelSize: 3, activation: 'elu', name: 'conv_b' }).apply(x) as tf.SymbolicTensor;
    return tf.layers.maximum({ name: 'max' }).apply([a, b]) as tf.SymbolicTensor;
  },
  /** Minimum of two conv branches. */
  minimum: (x: tf.SymbolicTensor) => {
    const a = tf.layers.conv2d({ filters: 6, kernelSize: 3, name: 'conv_a' }).apply(x) as tf.SymbolicTensor;
    const b = tf.layers.conv2d({ filters: 6, kernelSize: 3, name: 'conv_b' }).apply(x) as tf.SymbolicTensor;
    return tf.layers.minimum({ name: 'min' }).apply([a, b]) as tf.SymbolicTensor;
  },
  /** Average of two conv branches (the sum on n × the layer's grid, then MUL by 1/n). */
  average: (x: tf.SymbolicTensor) => {
    const a = tf.layers.conv2d({ filters: 6, kernelSize: 3, name: 'conv_a' }).apply(x) as tf.SymbolicTensor;
    const b = tf.layers.conv2d({ filters: 6, kernelSize: 3, activation: 'relu', name: 'conv_b' }).apply(x) as tf.SymbolicTensor;
    return tf.layers.average({ name: 'avg' }).apply([a, b]) as tf.SymbolicTensor;
  },
  /** Add, then Multiply, of three branches each: both partial results rounded onto recorded grids, in training too. */
  'add-multiply-3': (x: tf.SymbolicTensor) => {
    const conv = (name: string, activation: 'relu' | 'linear' | 'sigmoid' = 'linear') => tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', activation, name }).apply(x) as tf.SymbolicTensor;
    const sum = tf.layers.add({ name: 'add3' }).apply([conv('conv_a'), conv('conv_b', 'relu'), conv('conv_c')]) as tf.SymbolicTensor;
    return tf.layers.multiply({ name: 'mul3' }).apply([sum, conv('gate_a', 'sigmoid'), conv('gate_b', 'sigmoid')]) as tf.SymbolicTensor;
  },
  /** Average of three branches: the partial sum is rounded onto a recorded grid, in training too. */
  'average-3': (x: tf.SymbolicTensor) => {
    const a = tf.layers.conv2d({ filters: 6, kernelSize: 3, name: 'conv_a' }).apply(x) as tf.SymbolicTensor;
    const b = tf.layers.conv2d({ filters: 6, kernelSize: 3, activation: 'relu', name: 'conv_b' }).apply(x) as tf.SymbolicTensor;
    const c = tf.layers.conv2d({ filters: 6, kernelSize: 3, name: 'conv_c' }).apply(x) as tf.SymbolicTensor;
    return tf.layers.average({ name: 'avg' }).apply([a, b, c]) as tf.SymbolicTensor;
  },
  /** hardSigmoid as a Dense layer's activation on rank-2 data (the 1×1 convolution between RESHAPEs). */
  'dense-hard-sigmoid': (x: tf.SymbolicTensor) => {
    const gap = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
    return tf.layers.dense({ units: 6, activation: 'hardSigmoid', name: 'gate' }).apply(gap) as tf.SymbolicTensor;
  },
  /** Cropping2D (uneven: 1/2 rows, 2/1 columns) after a convolution: SLICE on the conv's grid. */
  cropping: (x: tf.SymbolicTensor) => {
    const conv = tf.layers.conv2d({ filters: 6, kernelSize: 3, activation: 'relu', name: 'conv' }).apply(x) as tf.SymbolicTensor;
    return tf.layers.cropping2D({ cropping: [[1, 2], [2, 1]], name: 'crop' }).apply(conv) as tf.SymbolicTensor;
  },
  /** UpSampling2D nearest (2x3) after a convolution: RESIZE_NEAREST_NEIGHBOR copies levels. */
  'upsampling-nearest': (x: tf.SymbolicTensor) => {
    const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, activation: 'relu', name: 'conv' }).apply(x) as tf.SymbolicTensor;
    return tf.layers.upSampling2d({ size: [2, 3], name: 'up' }).apply(conv) as tf.SymbolicTensor;
  },
  /** Permute of height and width, then a convolution reading the transposed tensor. */
  permute: (x: tf.SymbolicTensor) => {
    const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', name: 'conv' }).apply(x) as tf.SymbolicTensor;
    const p = tf.layers.permute({ dims: [2, 1, 3], name: 'permute' }).apply(conv) as tf.SymbolicTensor;
    return tf.layers.conv2d({ filters: 4, kernelSize: [1, 3], name: 'conv2' }).apply(p) as tf.SymbolicTensor;
  },
  /** RepeatVector of a pooled feature vector (RESHAPE + CONCATENATION of copies). */
  'repeat-vector': (x: tf.SymbolicTensor) => {
    const conv = tf.layers.conv2d({ filters: 6, kernelSize: 3, activation: 'relu', name: 'conv' }).apply(x) as tf.SymbolicTensor;
    const gap = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(conv) as tf.SymbolicTensor;
    return tf.layers.repeatVector({ n: 3, name: 'repeat' }).apply(gap) as tf.SymbolicTensor;
  },
  /** Conv2DTranspose (3x3, stride 2, SAME, ReLU: TRANSPOSE_CONV then RELU) after a strided convolution. */
  'conv-transpose': (x: tf.SymbolicTensor) => {
    const conv = tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'conv' }).apply(x) as tf.SymbolicTensor;
    return tf.layers.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', name: 'deconv' }).apply(conv) as tf.SymbolicTensor;
  },
  /** Conv2DTranspose (2x2, stride 2, VALID, linear) into a BatchNormalization it cannot absorb. */
  'conv-transpose-bn': (x: tf.SymbolicTensor) => {
    const up = tf.layers.conv2dTranspose({ filters: 4, kernelSize: 2, strides: 2, name: 'deconv' }).apply(x) as tf.SymbolicTensor;
    const bn = tf.layers.batchNormalization({ name: 'bn' }).apply(up) as tf.SymbolicTensor;
    return tf.layers.reLU({ name: 'relu' }).apply(bn) as tf.SymbolicTensor;
  },
} as const;

/** One unit case's name. */
export type UnitCase = keyof typeof UNIT_CASES;

/**
 * Unit cases that only train with collabopt's training kernels registered (tfjs cannot
 * differentiate dilated convolutions): their QAT runs under `withTrainingBackend`.
 */
export const DILATED_UNIT_CASES = {
  /** Conv2D with dilation 2 (SAME), ReLU fused. */
  'dilated-conv': (x: tf.SymbolicTensor) =>
    tf.layers.conv2d({ filters: 6, kernelSize: 3, dilationRate: 2, padding: 'same', activation: 'relu', name: 'conv' }).apply(x) as tf.SymbolicTensor,
  /** Conv2D with dilation (1, 3), VALID, linear, into a ReLU layer. */
  'dilated-conv-valid': (x: tf.SymbolicTensor) => {
    const conv = tf.layers.conv2d({ filters: 4, kernelSize: [2, 3], dilationRate: [1, 3], name: 'conv' }).apply(x) as tf.SymbolicTensor;
    return tf.layers.reLU({ name: 'relu' }).apply(conv) as tf.SymbolicTensor;
  },
  /** SeparableConv2D with dilation 2: a dilated DEPTHWISE_CONV_2D, then the pointwise half. */
  'dilated-separable': (x: tf.SymbolicTensor) =>
    tf.layers.separableConv2d({ filters: 4, kernelSize: 3, dilationRate: 2, padding: 'same', activation: 'relu', name: 'sep' }).apply(x) as tf.SymbolicTensor,
} as const;

/** One dilated unit case's name. */
export type DilatedUnitCase = keyof typeof DILATED_UNIT_CASES;

/** Builds unit case `name` with seeded weights and statistics, then a 5-unit dense head (rank-4 results are flattened first). */
export function unitCaseModel(name: UnitCase | DilatedUnitCase, seed: number, head: 'softmax' | 'linear' = 'linear'): RandomModel {
  const input = tf.input({ shape: [12, 12, 3], name: 'x' });
  const build: (x: tf.SymbolicTensor) => tf.SymbolicTensor = name in UNIT_CASES ? UNIT_CASES[name as UnitCase] : DILATED_UNIT_CASES[name as DilatedUnitCase];
  let x = build(input);
  if (x.shape.length > 2) x = tf.layers.flatten({ name: 'flatten' }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 5, activation: head, name: 'dense' }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out, name: `${name}_${seed}` });
  randomize(model, seed);
  return { model, seed, classes: model.layers.slice(1).map((l) => l.getClassName()), describe: `${name} → dense(${head})` };
}
