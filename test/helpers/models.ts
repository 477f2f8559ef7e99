import * as tf from '@tensorflow/tfjs';

/** Deterministic pseudo-random numbers in [-1, 1) (tests must not depend on tfjs's global RNG). */
export function detValues(n: number, seed = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Sets every weight of the model to deterministic values (same seed → bit-identical models). */
export function setDetWeights(model: tf.LayersModel, seed = 1): void {
  model.setWeights(model.getWeights().map((w, i) => tf.tensor(detValues(w.size, seed + i * 7919), w.shape).mul(0.5)));
}

/** A small MLP: dense(8, relu) → dense(3); input 6 features. */
export function smallMlp(seed = 1, names = ['d1', 'd2']): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [6], units: 8, activation: 'relu', name: names[0] }),
      tf.layers.dense({ units: 3, name: names[1] }),
    ],
  });
  setDetWeights(model, seed);
  return model;
}

/** Regression data for smallMlp: n samples. */
export function mlpData(n = 32, seed = 3): { xs: tf.Tensor2D; ys: tf.Tensor2D } {
  return {
    xs: tf.tensor2d(detValues(n * 6, seed), [n, 6]),
    ys: tf.tensor2d(detValues(n * 3, seed + 1), [n, 3]),
  };
}

/** Flat copy of every weight of the model, for exact comparisons. */
export function weightsOf(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
}
