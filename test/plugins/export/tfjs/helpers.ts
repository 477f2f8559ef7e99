// Shared helpers of the tfjs exporter tests (not a test file itself).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setDetWeights } from '../../../helpers/models';

/**
 * conv2d → depthwiseConv2d → flatten → dense(relu) → dense: kernels of every per-channel layout
 * (Conv [h,w,in,out], depthwise [h,w,in,mult], Dense [in,out]), deterministic weights, and every
 * third element of each kernel exactly 0 (as pruning leaves them), so sparsity has something to keep.
 */
export function exportModel(seed = 1): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 4, kernelSize: 3, activation: 'relu', name: 'conv' }),
      tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, name: 'dw' }),
      tf.layers.flatten({ name: 'flat' }),
      tf.layers.dense({ units: 8, activation: 'relu', name: 'd1' }),
      tf.layers.dense({ units: 3, name: 'd2' }),
    ],
  });
  setDetWeights(model, seed);
  pruneKernels(model);
  return model;
}

/** Sets every third element of every kernel to exactly 0. */
export function pruneKernels(model: tf.LayersModel): void {
  for (const layer of model.layers) {
    // getWeights() hands out the variables' own tensors: read them, never dispose them.
    const weights = layer.getWeights();
    if (weights.length === 0) continue;
    const kernel = tf.tensor(weights[0].dataSync().map((v, i) => (i % 3 === 0 ? 0 : v)), weights[0].shape);
    layer.setWeights([kernel, ...weights.slice(1)]);
    kernel.dispose();
  }
}

/** Deterministic input batch for {@link exportModel}. */
export function exportInput(n = 5): tf.Tensor4D {
  return tf.tensor4d(Float32Array.from({ length: n * 6 * 6 * 2 }, (_, i) => Math.sin(i * 0.37) * 1.5), [n, 6, 6, 2]);
}

/** A fresh temp directory (the export target goes inside it, so "nothing left behind" is checkable). */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'collabopt-tfjs-'));
}

/** Every weight of the model as a flat copy, keyed by its manifest (original) name. */
export function namedWeights(model: tf.LayersModel): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const v of model.weights) out.set(v.originalName, v.read().dataSync().slice() as Float32Array);
  return out;
}

/** Predictions as a flat array (the tensor is disposed). */
export function predictFlat(model: tf.LayersModel, x: tf.Tensor): Float32Array {
  const y = model.predict(x) as tf.Tensor;
  const out = y.dataSync().slice() as Float32Array;
  y.dispose();
  return out;
}
