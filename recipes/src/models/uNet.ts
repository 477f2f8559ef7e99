import * as tf from '@tensorflow/tfjs';

/**
 * Options of {@link uNet}.
 */
export interface UNetOptions {
  /** Input `[height, width, channels]`. Default `[20, 20, 3]` (20 → 16 after two VALID 3x3 convolutions, 8 after pooling). */
  readonly inputShape?: readonly [number, number, number];
  /** Output channels (per-pixel classes). Default 3. */
  readonly classes?: number;
  /** Filters of the first level (the second has twice as many). Default 8. */
  readonly filters?: number;
  /** Seed of the kernel initializers. Default 1. */
  readonly seed?: number;
}

/**
 * A small U-Net in the original paper's shape, two levels deep: VALID 3×3 convolutions, a
 * max-pool down, a Conv2DTranspose (2×2, stride 2) up, the skip connection *cropped* to the
 * upsampled size and concatenated, then 3×3 and 1×1 convolutions to per-pixel outputs (linear).
 * Every spatial layer class of the TFLite exporter's U-Net path appears: Conv2D, MaxPooling2D,
 * Conv2DTranspose, Cropping2D, Concatenate. Initial weights are seeded, so every call builds the
 * same model. The input height and width must leave an even size after two VALID 3×3
 * convolutions.
 */
export function uNet(options: UNetOptions = {}): tf.LayersModel {
  const [h, w, c] = options.inputShape ?? [20, 20, 3];
  const classes = options.classes ?? 3;
  const f = options.filters ?? 8;
  let seed = options.seed ?? 1;
  const init = () => tf.initializers.glorotUniform({ seed: seed++ });
  const conv = (filters: number, kernelSize: number, name: string, activation: 'relu' | 'linear' = 'relu') =>
    tf.layers.conv2d({ filters, kernelSize, activation, name, kernelInitializer: init() });
  const input = tf.input({ shape: [h, w, c], name: 'image' });
  const e1 = conv(f, 3, 'enc1b').apply(conv(f, 3, 'enc1a').apply(input)) as tf.SymbolicTensor;
  const down = tf.layers.maxPooling2d({ poolSize: 2, name: 'down' }).apply(e1) as tf.SymbolicTensor;
  const bottom = conv(2 * f, 3, 'enc2b').apply(conv(2 * f, 3, 'enc2a').apply(down)) as tf.SymbolicTensor;
  const up = tf.layers.conv2dTranspose({ filters: f, kernelSize: 2, strides: 2, activation: 'relu', name: 'up', kernelInitializer: init() }).apply(bottom) as tf.SymbolicTensor;
  // The skip connection is larger than the upsampled map (VALID convolutions lose the border): crop it, centred.
  const [skipH, skipW] = [e1.shape[1] as number, e1.shape[2] as number];
  const [upH, upW] = [up.shape[1] as number, up.shape[2] as number];
  const cropH = skipH - upH;
  const cropW = skipW - upW;
  const skip = tf.layers.cropping2D({ cropping: [[Math.floor(cropH / 2), cropH - Math.floor(cropH / 2)], [Math.floor(cropW / 2), cropW - Math.floor(cropW / 2)]], name: 'skip_crop' }).apply(e1) as tf.SymbolicTensor;
  const merged = tf.layers.concatenate({ name: 'merge' }).apply([skip, up]) as tf.SymbolicTensor;
  const dec = conv(f, 3, 'dec').apply(merged) as tf.SymbolicTensor;
  const out = conv(classes, 1, 'logits', 'linear').apply(dec) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'u_net' });
}
