import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { FIXED_RANGE_ACTIVATIONS } from '../../../plugins/src/common/fixedRangeActivations';
import { fakeQuantFixedGrid } from '../../../plugins/src/quantization/fakeQuantFixedGrid';

describe('fakeQuantFixedGrid', () => {
  it("rounds onto TFLite's softmax grid (1/256 from 0, level 255 at most) and tanh's (1/128 over [−1, 127/128])", () => {
    const softmax = fakeQuantFixedGrid(tf.tensor1d([0, 0.3 / 256, 0.5 / 256, 1.49 / 256, 0.5, 254.6 / 256, 1]), FIXED_RANGE_ACTIVATIONS.softmax);
    expect(Array.from(softmax.dataSync()).map((v) => v * 256)).to.deep.equal([0, 0, 1, 1, 128, 255, 255]);
    const tanh = fakeQuantFixedGrid(tf.tensor1d([-1, -0.999, 0.0039, 0.0040, 1]), FIXED_RANGE_ACTIVATIONS.tanh);
    expect(Array.from(tanh.dataSync()).map((v) => v * 128)).to.deep.equal([-128, -128, 0, 1, 127]);
    tf.dispose([softmax, tanh]);
  });

  it('passes the whole gradient, also where the grid clips (confident outputs keep learning)', () => {
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(fakeQuantFixedGrid(x, FIXED_RANGE_ACTIVATIONS.sigmoid), tf.tensor1d([1, 2, 3]))));
    const dx = g(tf.tensor1d([0.1, 0.5, 0.9999]));
    expect(Array.from(dx.dataSync())).to.deep.equal([1, 2, 3]);
    dx.dispose();
  });
});
