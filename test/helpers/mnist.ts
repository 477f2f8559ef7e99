/**
 * MNIST fixtures for accuracy tests: a subset that trains in seconds on the wasm backend with
 * collabopt's training kernels, a small CNN, and a baseline trained once per test process (each
 * test gets its own copy, rebuilt from the saved files).
 */
import * as tf from '@tensorflow/tfjs';
import { modelFromFiles, modelToFiles, selectBackend } from '@collabopt/core';
import { loadMnist } from '../../recipes/src/datasets/loadMnist';
import { mnistCnn } from '../../recipes/src/models/mnistCnn';

export interface MnistSplit {
  readonly xs: tf.Tensor4D;
  readonly ys: tf.Tensor2D;
  readonly labels: Uint8Array;
}

export const TRAIN_SIZE = 12000;
export const TEST_SIZE = 2000;

let data: Promise<{ train: MnistSplit; test: MnistSplit }> | null = null;
let baseline: Promise<{ files: Map<string, Uint8Array>; accuracy: number }> | null = null;

/**
 * Call inside a `describe`: the suite trains on the wasm backend with collabopt's training kernels
 * (as `selectBackend()` picks without tfjs-node), and the previous backend is restored after it.
 * Also raises the suite's timeout: these suites train real CNNs.
 */
export function withTrainingBackend(suite: Mocha.Suite, timeoutMs = 300_000): void {
  let restore: (() => Promise<void>) | null = null;
  suite.timeout(timeoutMs);
  suite.beforeAll(async () => {
    const previous = tf.getBackend();
    const selection = await selectBackend({ backend: 'wasm', log: false });
    restore = async () => {
      selection.releaseTrainingKernels();
      await tf.setBackend(previous);
    };
  });
  suite.afterAll(async () => restore?.());
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

/** The library recipes' `mnist-cnn`, defined once in recipes/src/models/mnistCnn.ts. */
export { mnistCnn };

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
