import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { averagePoolCounts, averagePoolOnInputGrid } from '../../../plugins/src/quantization/averagePoolOnInputGrid';

describe('averagePoolOnInputGrid (TFLite int8 AVERAGE_POOL_2D on its input grid)', () => {
  it('counts the cells inside the input under each SAME window (5x5, 3x3 windows, stride 2: rows and columns 2, 3, 2)', () => {
    const input = tf.input({ shape: [5, 5, 1] });
    const layer = tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' });
    layer.apply(input);
    const counts = averagePoolCounts(layer)!;
    expect(counts.shape).to.deep.equal([1, 3, 3, 1]);
    expect(Array.from(counts.dataSync())).to.deep.equal([4, 6, 4, 6, 9, 6, 4, 6, 4]);
    counts.dispose();
    const valid = tf.layers.averagePooling2d({ poolSize: 2 });
    valid.apply(input);
    expect(averagePoolCounts(valid)).to.equal(null);
  });

  it('rounds the level sum over the count half away from int8 level 0, as TFLite (not half to even, not from real 0)', () => {
    const counts = tf.tensor1d([4, 4, 4, 4, 3]);
    // Zero point 0, scale 1: averages 0.5 and −0.5 (sums ±2 of 4) round away from 0; 0.25 to 0; 2/3 to 1.
    const zp0 = averagePoolOnInputGrid(tf.tensor1d([0.5, -0.5, 0.25, 1.5, 2 / 3]), counts, 1, 0);
    expect(Array.from(zp0.dataSync())).to.deep.equal([1, -1, 0, 2, 1]);
    // Zero point −3: real 3.5 is level mean 0.5 → 1 → real 4; real 2.5 is level mean −0.5 → −1 → real 2.
    const zpm3 = averagePoolOnInputGrid(tf.tensor1d([3.5, 2.5, 3, 3, 3]), counts, 1, -3);
    expect(Array.from(zpm3.dataSync())).to.deep.equal([4, 2, 3, 3, 3]);
    // Scale 0.1: the sums are recovered exactly from float averages (0.15 = level 1.5 → 2 → 0.2).
    const scaled = averagePoolOnInputGrid(tf.tensor1d([0.15, -0.15, 0.05, 0.1, 0.1]), counts, 0.1, 0);
    Array.from(scaled.dataSync()).forEach((v, i) => expect(v).to.be.closeTo([0.2, -0.2, 0.1, 0.1, 0.1][i]!, 1e-7));
    tf.dispose([counts, zp0, zpm3, scaled]);
  });

  it('passes the gradient straight through', () => {
    const counts = tf.tensor1d([4, 4]);
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(averagePoolOnInputGrid(x, counts, 1, 0), tf.tensor1d([2, 3]))))(tf.tensor1d([0.5, 0.2]));
    expect(Array.from(g.dataSync())).to.deep.equal([2, 3]);
    tf.dispose([counts, g]);
  });
});
