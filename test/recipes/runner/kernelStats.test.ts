import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { OptimizationState } from '@collabopt/core';
import { kernelStats } from '../../../recipes/src/runner/kernelStats';

describe('kernelStats', () => {
  function model(): tf.LayersModel {
    const m = tf.sequential({
      layers: [
        tf.layers.depthwiseConv2d({ inputShape: [4, 4, 2], kernelSize: 1, depthMultiplier: 2, name: 'dw', useBias: false }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2, name: 'fc' }),
      ],
    });
    // Depthwise kernel [1, 1, 2, 2]: 4 channels (in × multiplier), one value each.
    m.getLayer('dw').setWeights([tf.tensor4d([0, 0.5, 0.5, 0], [1, 1, 2, 2])]);
    // Dense kernel [64, 2]: column 0 alternates 0 / 1, column 1 cycles 0.25, 0.5, 0.75, 1 (5 distinct in all).
    const k = new Float32Array(128);
    for (let i = 0; i < 64; i++) {
      k[2 * i] = i % 2;
      k[2 * i + 1] = (i % 4) * 0.25 + 0.25;
    }
    m.getLayer('fc').setWeights([tf.tensor2d(k, [64, 2]), tf.tensor1d([0, 0])]);
    return m;
  }

  it('lists kernels only (no biases), with sparsity, distinct values and per-channel distinct counts', () => {
    const stats = kernelStats(model());
    expect(stats.map((s) => s.id)).to.deep.equal(['dw/depthwise_kernel', 'fc/kernel']);
    const [dw, fc] = stats;
    expect(dw).to.deep.include({ layer: 'dw', className: 'DepthwiseConv2D', size: 4, sparsity: 0.5, distinct: 2, distinctPerChannel: 1 });
    expect(dw!.shape).to.deep.equal([1, 1, 2, 2]);
    expect(fc).to.deep.include({ layer: 'fc', className: 'Dense', size: 128, sparsity: 0.25, distinct: 5, distinctPerChannel: 4 });
    expect(fc!.invariants).to.deep.equal([]);
  });

  it("names the invariants the state holds for each kernel", () => {
    const m = model();
    const state = new OptimizationState();
    const mask = tf.tidy(() => tf.notEqual(m.getLayer('fc').getWeights()[0]!, 0).asType('float32'));
    state.establish('fc/kernel', 'sparsity', { mask }, 'prune');
    const stats = kernelStats(m, state);
    expect(stats.find((s) => s.id === 'fc/kernel')!.invariants).to.deep.equal(['sparsity']);
    expect(stats.find((s) => s.id === 'dw/depthwise_kernel')!.invariants).to.deep.equal([]);
    state.dispose();
  });
});
