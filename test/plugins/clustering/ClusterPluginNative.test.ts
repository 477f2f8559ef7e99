import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { expect } from 'chai';
import { collab, type Plugin } from '@collabopt/core';
import { CLUSTER_PROJECT_KERNEL } from '../../../core/src/backend/collaboptKernelNames';
import { cluster } from '../../../plugins/src/clustering/ClusterPlugin';
import { prune } from '../../../plugins/src/pruning/PrunePlugin';
import { quantize } from '../../../plugins/src/quantization/QuantizePlugin';
import { skipWithoutNative, withTrainingKernelsOnWasm } from '../../core/backend/backendTestUtils';
import { detValues, setDetWeights } from '../../helpers/models';

// The cluster plugin on wasm with the native kernels projects through CollaboptClusterProject,
// its state kept as tensors between steps. Training must come out exactly as with the plugin's
// JavaScript projection on the same backend (the kernel taken out of the registry): every weight
// and every centroid bit for bit, and no tensor left behind once a fit() ends.

function model(): tf.LayersModel {
  const m = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv' }),
      tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', name: 'dw' }),
      tf.layers.flatten(),
      // 1024 × 72 = 73,728 weights: the kernel's two-thread path.
      tf.layers.dense({ units: 72, activation: 'relu', name: 'wide' }),
      tf.layers.dense({ units: 4, name: 'head' }),
    ],
  });
  setDetWeights(m, 29);
  return m;
}

interface Run { readonly weights: Float32Array[]; readonly state: string; readonly leaked: number }

async function train(plugins: () => Plugin[], native: boolean): Promise<Run> {
  const saved = tf.getKernel(CLUSTER_PROJECT_KERNEL, 'wasm');
  if (!native && saved) tf.unregisterKernel(CLUSTER_PROJECT_KERNEL, 'wasm');
  try {
    const m = model();
    m.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    const xs = tf.tensor4d(detValues(24 * 192, 5), [24, 8, 8, 3]);
    const ys = tf.tensor2d(detValues(96, 6), [24, 4]);
    const session = collab(m, plugins(), { onWarning: () => {} });
    await m.fit(xs, ys, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0, callbacks: [session.callback()] });
    const afterFit = tf.memory().numTensors;
    await m.fit(xs, ys, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0, callbacks: [session.callback()] });
    const leaked = tf.memory().numTensors - afterFit;
    const state = JSON.stringify(session.plugins.find((p) => p.name === 'cluster')!.saveState!());
    await session.finish();
    const weights = m.getWeights().map((w) => w.dataSync().slice() as Float32Array);
    session.dispose();
    tf.dispose([xs, ys]);
    m.dispose();
    return { weights, state, leaked };
  } finally {
    if (!native && saved) tf.registerKernel(saved);
  }
}

function expectSameRuns(got: Run, want: Run): void {
  expect(got.state, 'centroids').to.equal(want.state);
  expect(got.weights.length).to.equal(want.weights.length);
  got.weights.forEach((w, i) => {
    for (let j = 0; j < w.length; j++) {
      if (!Object.is(w[j], want.weights[i]![j])) expect.fail(`weight ${i} element ${j}: native ${w[j]}, JavaScript ${want.weights[i]![j]}`);
    }
  });
}

describe('cluster plugin on the native kernel path', () => {
  if (skipWithoutNative(true)) return;
  withTrainingKernelsOnWasm({ nativeKernels: true });
  before(() => tf.env().set('IS_TEST', false)); // wasm's customGrad copies trip tfjs's per-kernel leak check

  const sets: [string, () => Plugin[]][] = [
    ['cluster per tensor (mean), conv and depthwise per channel', () => [cluster({ numClusters: 6, layers: [{ select: ['conv', 'dw'], perChannel: true, numClusters: 3 }] })]],
    ['prune + cluster (pinned zero, sum rule)', () => [prune({ initialSparsity: 0.5, finalSparsity: 0.5, beginStep: 0, endStep: 1, frequency: 1 }), cluster({ numClusters: 5, centroidUpdate: 'sum' })]],
    ['prune + cluster + quantize', () => [prune({ initialSparsity: 0.3, finalSparsity: 0.3, beginStep: 0, endStep: 1, frequency: 1 }), cluster({ numClusters: 8 }), quantize()]],
  ];
  for (const [label, plugins] of sets) {
    it(`trains bit for bit as the JavaScript projection: ${label}`, async () => {
      expect(tf.getKernel(CLUSTER_PROJECT_KERNEL, 'wasm') != null, 'kernel registered').to.equal(true);
      const native = await train(plugins, true);
      const js = await train(plugins, false);
      expectSameRuns(native, js);
      expect(native.leaked, 'tensors left by a fit() on the native path').to.equal(0);
    });
  }
});
