import type { SeedTableSpec } from './SeedTableSpec';

/**
 * The model-and-dataset pairs of the seed tables: the seed's network class (DS-CNN-L,
 * MobileNet-v1: depthwise-separable with BatchNormalization) on Fashion-MNIST, and the
 * tfjs-examples CNN on MNIST, with the baseline accuracy each must reach before its table means
 * anything. Baseline schedules are Adam with a decaying learning rate on the full 60,000 images;
 * fine-tuning stages train on the first `fineTuneSamples` (one or two epochs of those, as the
 * library pipelines say), which is what keeps the whole run within ~45 minutes on 2 cores.
 */
export const SEED_TABLE_SPECS: readonly SeedTableSpec[] = Object.freeze([
  {
    id: 'mnist-node-cnn-mnist',
    title: 'tfjs-examples mnist-node CNN on MNIST',
    model: { builtin: 'mnist-node-cnn' },
    quickModel: { builtin: 'mnist-node-cnn' },
    dataset: 'mnist',
    baseline: { epochs: 5, batchSize: 128, optimizer: { type: 'adam', learningRate: 0.001, finalLearningRate: 0.00003 } },
    fineTuneSamples: 15000,
    acceptedAccuracy: 0.993,
  },
  {
    id: 'ds-cnn-l-fashion',
    title: 'DS-CNN-L on Fashion-MNIST',
    model: { builtin: 'ds-cnn', options: { size: 'L' } },
    quickModel: { builtin: 'ds-cnn', options: { size: 'S' } },
    dataset: 'fashion-mnist',
    baseline: { epochs: 4, batchSize: 64, optimizer: { type: 'adam', learningRate: 0.002, finalLearningRate: 0.0002 } },
    fineTuneSamples: 10000,
    acceptedAccuracy: 0.91,
  },
  {
    id: 'mobilenet-v1-fashion',
    title: 'MobileNet-v1 0.25 on Fashion-MNIST',
    model: { builtin: 'mobilenet-v1', options: { alpha: 0.25 } },
    quickModel: { builtin: 'mobilenet-v1', options: { alpha: 0.25 } },
    dataset: 'fashion-mnist',
    baseline: { epochs: 20, batchSize: 64, optimizer: { type: 'adam', learningRate: 0.003, finalLearningRate: 0.00003 } },
    fineTuneSamples: 10000,
    acceptedAccuracy: 0.91,
  },
]);
