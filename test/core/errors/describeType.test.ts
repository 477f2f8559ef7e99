import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { describeType } from '../../../core/src/errors/describeType';

describe('describeType', () => {
  it('primitives by typeof, null as null, objects by their constructor', () => {
    expect([1, 'a', true, undefined, 1n, Symbol('s'), () => 1].map(describeType)).to.deep.equal(['number', 'string', 'boolean', 'undefined', 'bigint', 'symbol', 'function']);
    expect(describeType(null)).to.equal('null');
    expect(describeType({})).to.equal('Object');
    expect(describeType([])).to.equal('Array');
    expect(describeType(new Float32Array(2))).to.equal('Float32Array');
    const t = tf.scalar(1);
    expect(describeType(t)).to.equal('Tensor');
    t.dispose();
  });

  it('an object without a prototype is "object"', () => {
    expect(describeType(Object.create(null))).to.equal('object');
  });
});
