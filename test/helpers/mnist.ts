/**
 * MNIST fixtures for accuracy tests: a subset that trains in seconds on the wasm backend with
 * collabopt's training kernels, a small CNN, and a baseline trained once per test process (each
 * test gets its own copy, rebuilt from the saved files).
 */
import * as tf from '@tensorflow/tfjs';
import { modelFromFiles, modelToFiles, selectBackend } from '@collabopt/core';
import { loadMnist } from '../../recipes/src/datasets/loadMnist';

export interface MnistSplit {
  readonly xs: tf.Tensor4D;
  readonly ys: tf.Tensor2D;
  readonly labels: Uint8Array;
}

export const TRAIN_SIZE = 12000;
export const TEST_SIZE = 2000;

let data: Promise<{ train: MnistSplit; test: MnistSplit }> | null = null;
let baseline: Promise<{ files: Map<string, Uint8Array>; accuracy: number }> | null = null;

/** Switches to the wasm backend with training kernels for the duration of a suite; returns the restore function. */
export async function useTrainingBackend(): Promise<() => Promise<void>> {
  const previous = tf.getBackend();
  const selection = await selectBackend({ backend: 'wasm', log: false });
  return async () => {
    selection.releaseTrainingKernels();
    await tf.setBackend(previous);
  };
}

/** The first TRAIN_SIZE training images and TEST_SIZE test images (kept for the whole process). */
export function mnist(): Promise<{ train: MnistSplit; test: MnistSplit }> {
  data ??= (async () => {
    const [train, test] = await Promise.all([
      loadMnist({ split: 'train', limit: TRAIN_SIZE }),
      loadMnist({ split: 'test', limit: TEST_SIZE }),
    ]);
    [train.xs, train.ys, test.xs, test.ys].forEach((t) => tf.keep(t));
    return { train, test };
  })();
  return data;
}

/** conv8-pool-conv16-pool-dense32-dense10: small, but a real CNN with every piece the plugins touch. */
export function mnistCnn(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu', name: 'conv1', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', name: 'conv2', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ units: 32, activation: 'relu', name: 'fc1', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
      tf.layers.dense({ units: 10, activation: 'softmax', name: 'fc2', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
    ],
  });
}

/** Top-1 accuracy of `model` on a split. */
export function accuracy(model: tf.LayersModel, split: MnistSplit): number {
  return tf.tidy(() => {
    const predicted = (model.predict(split.xs, { batchSize: 500 }) as tf.Tensor).argMax(-1).dataSync();
    let right = 0;
    predicted.forEach((p, i) => (right += p === split.labels[i] ? 1 : 0));
    return right / split.labels.length;
  });
}

/** A fresh copy of the trained baseline CNN (trained once per process: 4 epochs on the subset), and its accuracy. */
export async function baselineCnn(): Promise<{ model: tf.LayersModel; accuracy: number }> {
  baseline ??= (async () => {
    const { train, test } = await mnist();
    const model = mnistCnn();
    // 3 epochs at a high rate, then one at a low rate: converged, so that optimized copies
    // fine-tuned at low rates are compared with a baseline that had the same chance.
    model.compile({ optimizer: tf.train.adam(0.005), loss: 'categoricalCrossentropy' });
    await model.fit(train.xs, train.ys, { epochs: 3, batchSize: 64, shuffle: false, verbose: 0 });
    model.compile({ optimizer: tf.train.adam(0.0005), loss: 'categoricalCrossentropy' });
    await model.fit(train.xs, train.ys, { epochs: 1, batchSize: 64, shuffle: false, verbose: 0 });
    const files = await modelToFiles(model, { includeOptimizer: false });
    const acc = accuracy(model, test);
    model.dispose();
    return { files, accuracy: acc };
  })();
  const { files, accuracy: acc } = await baseline;
  return { model: await modelFromFiles(files, 'baseline'), accuracy: acc };
}
