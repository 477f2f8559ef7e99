/**
 * Whole architectures at test size (tiny widths, 16x16 inputs), built from the layers tfjs code
 * really uses for them, for the end-to-end architecture tests and for benchmarks: MobileNet-v2
 * (inverted residuals, ReLU6, linear bottlenecks), MobileNet-v3-small (hard-swish as
 * x · hardSigmoid(x), squeeze-excite as GlobalAveragePooling + Reshape + Dense + Multiply) and an
 * EfficientNet-lite-style net (MBConv with 3x3 and 5x5 depthwise kernels, ReLU6, no
 * squeeze-excite — what "lite" removes for integer accelerators). Weights are seeded.
 */
import * as tf from '@tensorflow/tfjs';
import { randomize } from '../plugins/export/tflite/fixtures';

/** The architectures this module builds. */
export const ARCHITECTURES = ['mobilenet-v2', 'mobilenet-v3-small', 'efficientnet-lite'] as const;

/** One architecture's name. */
export type Architecture = (typeof ARCHITECTURES)[number];

/** Options of {@link architectureModel}. */
export interface ArchitectureOptions {
  /** Input side (square, 3 channels). Default 16. */
  readonly size?: number;
  /** Classes of the dense head. Default 5. */
  readonly classes?: number;
  /** The head's activation. Default linear (logits). */
  readonly head?: 'linear' | 'softmax';
  /** Weight seed. Default 1. */
  readonly seed?: number;
}

type Sym = tf.SymbolicTensor;

/** Names layers `prefix_kind` uniquely within one model. */
class Builder {
  private n = 0;
  name(kind: string): string {
    return `${kind}_${this.n++}`;
  }
  conv(x: Sym, filters: number, kernelSize: number, strides = 1): Sym {
    return tf.layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false, name: this.name('conv') }).apply(x) as Sym;
  }
  depthwise(x: Sym, kernelSize: number, strides = 1): Sym {
    return tf.layers.depthwiseConv2d({ kernelSize, strides, padding: 'same', useBias: false, name: this.name('dw') }).apply(x) as Sym;
  }
  bn(x: Sym): Sym {
    return tf.layers.batchNormalization({ name: this.name('bn') }).apply(x) as Sym;
  }
  relu6(x: Sym): Sym {
    return tf.layers.reLU({ maxValue: 6, name: this.name('relu6') }).apply(x) as Sym;
  }
  relu(x: Sym): Sym {
    return tf.layers.reLU({ name: this.name('relu') }).apply(x) as Sym;
  }
  /** Hard-swish as tfjs code writes it: x · hardSigmoid(x). */
  hardSwish(x: Sym): Sym {
    const gate = tf.layers.activation({ activation: 'hardSigmoid', name: this.name('hard_sigmoid') }).apply(x) as Sym;
    return tf.layers.multiply({ name: this.name('hard_swish') }).apply([x, gate]) as Sym;
  }
  add(a: Sym, b: Sym): Sym {
    return tf.layers.add({ name: this.name('add') }).apply([a, b]) as Sym;
  }
  /** Squeeze-excite: GlobalAveragePooling → Reshape [1, 1, C] → Dense (ReLU) → Dense (hardSigmoid) → Multiply. */
  squeezeExcite(x: Sym, squeeze: number): Sym {
    const channels = x.shape[3] as number;
    let s = tf.layers.globalAveragePooling2d({ name: this.name('se_gap') }).apply(x) as Sym;
    s = tf.layers.reshape({ targetShape: [1, 1, channels], name: this.name('se_reshape') }).apply(s) as Sym;
    s = tf.layers.dense({ units: squeeze, activation: 'relu', name: this.name('se_reduce') }).apply(s) as Sym;
    s = tf.layers.dense({ units: channels, activation: 'hardSigmoid', name: this.name('se_expand') }).apply(s) as Sym;
    return tf.layers.multiply({ name: this.name('se_scale') }).apply([x, s]) as Sym;
  }
}

/** MobileNet-v2's inverted residual: 1x1 expand (ReLU6), depthwise (ReLU6), 1x1 linear projection, residual when shapes allow. */
function invertedResidual(b: Builder, x: Sym, expand: number, out: number, strides: number, kernelSize = 3): Sym {
  const inC = x.shape[3] as number;
  let y = x;
  if (expand !== 1) y = b.relu6(b.bn(b.conv(y, inC * expand, 1)));
  y = b.relu6(b.bn(b.depthwise(y, kernelSize, strides)));
  y = b.bn(b.conv(y, out, 1));
  return strides === 1 && inC === out ? b.add(x, y) : y;
}

/** MobileNet-v3's bneck: 1x1 expand, depthwise, optional squeeze-excite, 1x1 linear projection, residual when shapes allow. */
function bneck(b: Builder, x: Sym, expanded: number, out: number, strides: number, se: boolean, act: 'relu' | 'hard-swish'): Sym {
  const inC = x.shape[3] as number;
  const activate = (v: Sym) => (act === 'relu' ? b.relu(v) : b.hardSwish(v));
  let y = activate(b.bn(b.conv(x, expanded, 1)));
  y = activate(b.bn(b.depthwise(y, 3, strides)));
  if (se) y = b.squeezeExcite(y, Math.max(2, Math.floor(expanded / 4)));
  y = b.bn(b.conv(y, out, 1));
  return strides === 1 && inC === out ? b.add(x, y) : y;
}

/**
 * Builds `arch` at test size: a stem convolution with stride 2, three or four blocks, a 1x1
 * head convolution, global average pooling and a dense head. Seeded weights and BatchNorm
 * statistics (`randomize`).
 */
export function architectureModel(arch: Architecture, options: ArchitectureOptions = {}): tf.LayersModel {
  const size = options.size ?? 16;
  const b = new Builder();
  const input = tf.input({ shape: [size, size, 3], name: 'image' });
  let x: Sym;
  switch (arch) {
    case 'mobilenet-v2':
      x = b.relu6(b.bn(b.conv(input, 8, 3, 2)));
      x = invertedResidual(b, x, 1, 8, 1);
      x = invertedResidual(b, x, 4, 12, 2);
      x = invertedResidual(b, x, 4, 12, 1);
      x = b.relu6(b.bn(b.conv(x, 24, 1)));
      break;
    case 'mobilenet-v3-small':
      x = b.hardSwish(b.bn(b.conv(input, 8, 3, 2)));
      x = bneck(b, x, 8, 8, 2, true, 'relu');
      x = bneck(b, x, 24, 12, 1, false, 'relu');
      x = bneck(b, x, 32, 12, 1, true, 'hard-swish');
      x = b.hardSwish(b.bn(b.conv(x, 24, 1)));
      break;
    case 'efficientnet-lite':
      x = b.relu6(b.bn(b.conv(input, 8, 3, 2)));
      x = invertedResidual(b, x, 1, 8, 1, 3);
      x = invertedResidual(b, x, 4, 12, 2, 5);
      x = invertedResidual(b, x, 4, 12, 1, 5);
      x = b.relu6(b.bn(b.conv(x, 24, 1)));
      break;
  }
  x = tf.layers.globalAveragePooling2d({ name: b.name('gap') }).apply(x) as Sym;
  x = tf.layers.dense({ units: options.classes ?? 5, activation: options.head ?? 'linear', name: b.name('logits') }).apply(x) as Sym;
  const model = tf.model({ inputs: input, outputs: x, name: arch.replace(/-/g, '_') });
  randomize(model, options.seed ?? 1);
  return model;
}
