import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { KERNEL_SAMPLE_LIMIT, kernelSample, sampleKernelId } from '../../../recipes/src/runner/kernelSample';

describe('kernelSample', () => {
  it('follows the largest Conv2D kernel, even when a Dense kernel is larger', () => {
    const m = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3, name: 'small_conv' }),
        tf.layers.conv2d({ filters: 4, kernelSize: 3, name: 'big_conv' }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 100, name: 'huge_dense' }),
      ],
    });
    expect(sampleKernelId(m)).to.equal('big_conv/kernel');
  });

  it('without convolutions, the largest kernel; without kernels, none', () => {
    const mlp = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2, name: 'a' }), tf.layers.dense({ units: 50, name: 'b' })] });
    expect(sampleKernelId(mlp)).to.equal('b/kernel');
    const none = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [2, 2] })] });
    expect(sampleKernelId(none)).to.equal(null);
    expect(kernelSample(none)).to.equal(null);
  });

  it('keeps every value of a small kernel, in order', () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 3, name: 'd' })] });
    m.setWeights([tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]), tf.zeros([3])]);
    expect(kernelSample(m)).to.deep.equal({ weight: 'd/kernel', values: [1, 2, 3, 4, 5, 6], stride: 1 });
  });

  it(`keeps every k-th value of a kernel over ${KERNEL_SAMPLE_LIMIT} values, at most ${KERNEL_SAMPLE_LIMIT} of them`, () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [100], units: 200, name: 'd' })] });
    const values = Float32Array.from({ length: 20000 }, (_, i) => i);
    m.setWeights([tf.tensor2d(values, [100, 200]), tf.zeros([200])]);
    const sample = kernelSample(m)!;
    expect(sample.stride).to.equal(Math.ceil(20000 / KERNEL_SAMPLE_LIMIT));
    expect(sample.values.length).to.be.at.most(KERNEL_SAMPLE_LIMIT);
    expect(sample.values.slice(0, 3)).to.deep.equal([0, sample.stride, 2 * sample.stride]);
    expect(sample.values.length).to.equal(Math.ceil(20000 / sample.stride));
  });
});
