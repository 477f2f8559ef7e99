/**
 * Test models covering every layer class the TFLite exporter supports, in Sequential and
 * functional form (branches, residuals, several inputs and outputs), with deterministic weights.
 */
import * as tf from '@tensorflow/tfjs';
import { detValues } from '../../../helpers/models';

/** Deterministic weights; BatchNormalization gets valid statistics (positive variance, gamma ≈ 1). */
export function randomize(model: tf.LayersModel, seed = 1): void {
  let i = 0;
  for (const layer of model.layers) {
    for (const w of layer.weights) {
      const name = w.originalName.split('/').pop()!;
      const u = detValues(w.shape.reduce((a: number, b) => a * (b ?? 1), 1), seed + 7919 * i++);
      let v: Float32Array;
      if (name === 'moving_variance') v = u.map((x) => 0.6 + 0.5 * x);
      else if (name === 'gamma') v = u.map((x) => 1 + 0.4 * x);
      else if (name === 'moving_mean' || name === 'beta') v = u.map((x) => 0.2 * x);
      else if (name === 'bias') v = u.map((x) => 0.1 * x);
      else v = u.map((x) => 0.6 * x);
      const t = tf.tensor(v, w.shape as number[]);
      w.write(t);
      t.dispose();
    }
  }
}

/** Inputs for `model`: `n` samples per input in [-1, 1). */
export function inputsFor(model: tf.LayersModel, n: number, seed = 11): tf.Tensor[] {
  return model.inputs.map((s, i) => {
    const shape = [n, ...(s.shape.slice(1) as number[])];
    return tf.tensor(detValues(shape.reduce((a, b) => a * b, 1), seed + 101 * i), shape);
  });
}

/** Sequential CNN: Conv2D, BatchNorm (folded), ReLU, MaxPooling2D, DepthwiseConv2D, ReLU6, SeparableConv2D, ZeroPadding2D, AveragePooling2D, Conv2D(sigmoid), GlobalAveragePooling2D, Dropout, Dense(softmax). */
export function sequentialCnn(): tf.LayersModel {
  const m = tf.sequential({
    name: 'seq_cnn',
    layers: [
      tf.layers.conv2d({ inputShape: [10, 10, 3], filters: 6, kernelSize: 3, padding: 'same', useBias: false, name: 'c1' }),
      tf.layers.batchNormalization({ name: 'bn1' }),
      tf.layers.reLU({ name: 'relu1' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
      tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', name: 'dw1' }),
      tf.layers.batchNormalization({ name: 'bn2' }),
      tf.layers.reLU({ maxValue: 6, name: 'relu6' }),
      tf.layers.separableConv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', name: 'sep1' }),
      tf.layers.zeroPadding2d({ padding: [[1, 0], [0, 1]], name: 'pad1' }),
      tf.layers.averagePooling2d({ poolSize: 2, strides: 1, name: 'avg1' }),
      tf.layers.conv2d({ filters: 5, kernelSize: 1, activation: 'sigmoid', name: 'c2' }),
      tf.layers.globalAveragePooling2d({ name: 'gap' }),
      tf.layers.dropout({ rate: 0.5, name: 'drop' }),
      tf.layers.dense({ units: 4, activation: 'softmax', name: 'probs' }),
    ],
  });
  randomize(m, 3);
  return m;
}

/**
 * Functional model with a residual (Add + ReLU fused), a concatenation of branches with different
 * grids, a Multiply, strided and dilated convolutions, 'same' average pooling, GlobalMaxPooling2D,
 * Dense(tanh), and two outputs (one through Flatten).
 */
export function residualFunctional(): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 2], name: 'image' });
  const c1 = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'r_c1' }).apply(input) as tf.SymbolicTensor;
  const b1 = tf.layers.batchNormalization({ name: 'r_bn1' }).apply(c1) as tf.SymbolicTensor;
  const a1 = tf.layers.activation({ activation: 'relu', name: 'r_act1' }).apply(b1) as tf.SymbolicTensor;
  const c2 = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', dilationRate: 2, name: 'r_c2' }).apply(a1) as tf.SymbolicTensor;
  const b2 = tf.layers.batchNormalization({ name: 'r_bn2' }).apply(c2) as tf.SymbolicTensor;
  const sum = tf.layers.add({ name: 'r_add' }).apply([a1, b2]) as tf.SymbolicTensor;
  const r = tf.layers.reLU({ name: 'r_relu' }).apply(sum) as tf.SymbolicTensor;
  const t = tf.layers.conv2d({ filters: 3, kernelSize: 1, activation: 'tanh', name: 'r_tanh' }).apply(r) as tf.SymbolicTensor;
  const cat = tf.layers.concatenate({ name: 'r_cat' }).apply([r, t]) as tf.SymbolicTensor;
  const s = tf.layers.conv2d({ filters: 7, kernelSize: 3, strides: 2, padding: 'valid', name: 'r_s2' }).apply(cat) as tf.SymbolicTensor;
  const g = tf.layers.conv2d({ filters: 7, kernelSize: 3, strides: 2, activation: 'sigmoid', name: 'r_gate' }).apply(cat) as tf.SymbolicTensor;
  const mul = tf.layers.multiply({ name: 'r_mul' }).apply([s, g]) as tf.SymbolicTensor;
  const avg = tf.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same', name: 'r_avg' }).apply(mul) as tf.SymbolicTensor;
  const gmp = tf.layers.globalMaxPooling2d({ name: 'r_gmp' }).apply(avg) as tf.SymbolicTensor;
  const head1 = tf.layers.dense({ units: 3, activation: 'tanh', name: 'r_head1' }).apply(gmp) as tf.SymbolicTensor;
  const flat = tf.layers.flatten({ name: 'r_flat' }).apply(mul) as tf.SymbolicTensor;
  const head2 = tf.layers.dense({ units: 2, name: 'r_head2' }).apply(flat) as tf.SymbolicTensor;
  const m = tf.model({ inputs: input, outputs: [head1, head2], name: 'residual' });
  randomize(m, 5);
  return m;
}

/**
 * Two inputs: a vector branch (Dense(relu) → standalone BatchNorm → MUL + ADD), an image branch
 * (Conv2D → Reshape), a 3-input Add and Multiply (partial results with derived ranges),
 * Concatenate, a standalone ReLU6 (nothing to fuse into), Dense on a rank-3 tensor
 * (keep_num_dims), Activation softmax and linear.
 */
export function multiInputFunctional(): tf.LayersModel {
  const vec = tf.input({ shape: [6], name: 'vec' });
  const img = tf.input({ shape: [4, 4, 2], name: 'img' });
  const d1 = tf.layers.dense({ units: 8, activation: 'relu', name: 'm_d1' }).apply(vec) as tf.SymbolicTensor;
  const bn = tf.layers.batchNormalization({ name: 'm_bn' }).apply(d1) as tf.SymbolicTensor;
  const d2 = tf.layers.dense({ units: 8, name: 'm_d2' }).apply(vec) as tf.SymbolicTensor;
  const d3 = tf.layers.dense({ units: 8, activation: 'relu6', name: 'm_d3' }).apply(vec) as tf.SymbolicTensor;
  const add3 = tf.layers.add({ name: 'm_add3' }).apply([bn, d2, d3]) as tf.SymbolicTensor;
  const mul3 = tf.layers.multiply({ name: 'm_mul3' }).apply([bn, d2, d3]) as tf.SymbolicTensor;
  const c = tf.layers.conv2d({ filters: 2, kernelSize: 2, strides: 2, name: 'm_conv' }).apply(img) as tf.SymbolicTensor;
  const rs = tf.layers.reshape({ targetShape: [8], name: 'm_reshape' }).apply(c) as tf.SymbolicTensor;
  const cat = tf.layers.concatenate({ name: 'm_cat' }).apply([add3, mul3, rs]) as tf.SymbolicTensor;
  const clip = tf.layers.reLU({ maxValue: 6, name: 'm_relu6' }).apply(cat) as tf.SymbolicTensor;
  const seq = tf.layers.reshape({ targetShape: [4, 6], name: 'm_seq' }).apply(clip) as tf.SymbolicTensor;
  const perStep = tf.layers.dense({ units: 5, name: 'm_perstep' }).apply(seq) as tf.SymbolicTensor;
  const lin = tf.layers.activation({ activation: 'linear', name: 'm_linear' }).apply(perStep) as tf.SymbolicTensor;
  const sm = tf.layers.activation({ activation: 'softmax', name: 'm_softmax' }).apply(lin) as tf.SymbolicTensor;
  const m = tf.model({ inputs: [vec, img], outputs: sm, name: 'multi_input' });
  randomize(m, 7);
  return m;
}

/** Conv1D (same, relu) → Conv1D (strided, dilation-free, linear) → BatchNorm (folded through the reshape) → ReLU → Flatten → Dense. */
export function conv1dModel(): tf.LayersModel {
  const m = tf.sequential({
    name: 'conv1d',
    layers: [
      tf.layers.conv1d({ inputShape: [16, 3], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', name: 'k1' }),
      tf.layers.conv1d({ filters: 5, kernelSize: 3, strides: 2, name: 'k2' }),
      tf.layers.batchNormalization({ name: 'k_bn' }),
      tf.layers.reLU({ name: 'k_relu' }),
      tf.layers.conv1d({ filters: 3, kernelSize: 2, dilationRate: 2, activation: 'sigmoid', name: 'k3' }),
      tf.layers.flatten({ name: 'k_flat' }),
      tf.layers.dense({ units: 2, name: 'k_out' }),
    ],
  });
  randomize(m, 9);
  return m;
}

/**
 * A shared Conv2D called on two inputs: its BatchNorm cannot be folded into weights the other call
 * uses (written as MUL + ADD), while the ReLU after the other call fuses into that call's operator.
 */
export function sharedLayerFunctional(): tf.LayersModel {
  const a = tf.input({ shape: [6, 6, 2], name: 'left' });
  const b = tf.input({ shape: [6, 6, 2], name: 'right' });
  const shared = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', name: 'shared' });
  const ca = shared.apply(a) as tf.SymbolicTensor;
  const cb = shared.apply(b) as tf.SymbolicTensor;
  const bn = tf.layers.batchNormalization({ name: 's_bn' }).apply(ca) as tf.SymbolicTensor;
  const relu = tf.layers.reLU({ name: 's_relu' }).apply(cb) as tf.SymbolicTensor;
  const sum = tf.layers.add({ name: 's_add' }).apply([bn, relu]) as tf.SymbolicTensor;
  const gap = tf.layers.globalAveragePooling2d({ name: 's_gap' }).apply(sum) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 2, activation: 'sigmoid', name: 's_out' }).apply(gap) as tf.SymbolicTensor;
  const m = tf.model({ inputs: [a, b], outputs: out, name: 'shared' });
  randomize(m, 13);
  return m;
}

/** Every test model, by name. */
export const MODELS: Record<string, () => tf.LayersModel> = {
  sequentialCnn,
  residualFunctional,
  multiInputFunctional,
  conv1dModel,
  sharedLayerFunctional,
};

/** Per-sample rows of `model.predict` on `xs`, one Float32Array per output. */
export function predictRows(model: tf.LayersModel, xs: tf.Tensor[], index: number): Float32Array[] {
  return tf.tidy(() => {
    const sample = xs.map((x) => tf.slice(x, index, 1));
    const out = model.predict(sample.length === 1 ? sample[0] : sample);
    return (Array.isArray(out) ? out : [out]).map((o) => o.dataSync() as Float32Array);
  });
}

/** Row `index` of every input, flattened. */
export function sampleRows(xs: tf.Tensor[], index: number): Float32Array[] {
  return xs.map((x) => tf.tidy(() => tf.slice(x, index, 1).dataSync() as Float32Array));
}
