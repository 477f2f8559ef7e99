import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lowerModel } from '../../../../../../plugins/src/export/tflite/lowering/lowerModel';

describe('elementwiseLowering (Add, Multiply)', () => {
  it('writes a 3-input Add as two ADDs whose partial sum is bounded from the inputs', () => {
    const ins = [0, 1, 2].map((i) => tf.input({ shape: [3], name: `in${i}` }));
    const sum = tf.layers.add({ name: 'sum' }).apply(ins) as tf.SymbolicTensor;
    const graph = lowerModel(tf.model({ inputs: ins, outputs: sum }), 1);
    expect(graph.ops.map((o) => o.code)).to.deep.equal(['ADD', 'ADD']);
    const partial = graph.ops[0].outputs[0];
    expect(partial.name).to.equal('sum/partial1');
    const rule = partial.rule!;
    expect(rule.kind).to.equal('derived');
    if (rule.kind !== 'derived') return;
    expect(rule.derive([{ min: -1, max: 2 }, { min: -3, max: 4 }])).to.deep.equal({ min: -4, max: 6 });
    expect(graph.ops[1].outputs[0].rule).to.deep.include({ kind: 'range', key: 'sum' });
  });

  it('bounds a partial product by the extreme corner products', () => {
    const ins = [0, 1, 2].map((i) => tf.input({ shape: [3], name: `in${i}` }));
    const prod = tf.layers.multiply({ name: 'prod' }).apply(ins) as tf.SymbolicTensor;
    const graph = lowerModel(tf.model({ inputs: ins, outputs: prod }), 1);
    expect(graph.ops.map((o) => o.code)).to.deep.equal(['MUL', 'MUL']);
    const rule = graph.ops[0].outputs[0].rule!;
    if (rule.kind !== 'derived') throw new Error('expected a derived rule');
    expect(rule.derive([{ min: -1, max: 2 }, { min: -3, max: 4 }])).to.deep.equal({ min: -6, max: 8 });
  });
});
