import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';

describe('smoke', () => {
  it('runs tfjs', () => {
    expect(tf.add(1, 2).arraySync()).to.equal(3);
  });
});
