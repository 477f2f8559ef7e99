import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { mergePartialRangeKey } from '../../../../../../plugins/src/common/mergePartialRangeKey';
import { lowerModel } from '../../../../../../plugins/src/export/tflite/lowering/lowerModel';

describe('elementwiseLowering (Add, Multiply)', () => {
  it("writes a 3-input Add as two ADDs whose partial sum takes its recorded range, bounded from the inputs' ranges when the state lacks it", () => {
    const ins = [0, 1, 2].map((i) => tf.input({ shape: [3], name: `in${i}` }));
    const sum = tf.layers.add({ name: 'sum' }).apply(ins) as tf.SymbolicTensor;
    const graph = lowerModel(tf.model({ inputs: ins, outputs: sum }), 1);
    expect(graph.ops.map((o) => o.code)).to.deep.equal(['ADD', 'ADD']);
    const partial = graph.ops[0].outputs[0];
    expect(partial.name).to.equal('sum/partial1');
    const rule = partial.rule!;
    expect(rule).to.deep.include({ kind: 'range', key: mergePartialRangeKey('sum', 1) });
    if (rule.kind !== 'range' || !rule.fallback) throw new Error('expected a range rule with a fallback');
    expect(rule.fallback.from).to.deep.equal([graph.ops[0].inputs[0], graph.ops[0].inputs[1]]);
    expect(rule.fallback.derive([{ min: -1, max: 2 }, { min: -3, max: 4 }])).to.deep.equal({ min: -4, max: 6 });
    expect(graph.ops[1].outputs[0].rule).to.deep.include({ kind: 'range', key: 'sum' });
  });

  it('bounds a missing partial product by the extreme corner products', () => {
    const ins = [0, 1, 2].map((i) => tf.input({ shape: [3], name: `in${i}` }));
    const prod = tf.layers.multiply({ name: 'prod' }).apply(ins) as tf.SymbolicTensor;
    const graph = lowerModel(tf.model({ inputs: ins, outputs: prod }), 1);
    expect(graph.ops.map((o) => o.code)).to.deep.equal(['MUL', 'MUL']);
    const rule = graph.ops[0].outputs[0].rule!;
    expect(rule).to.deep.include({ kind: 'range', key: mergePartialRangeKey('prod', 1) });
    if (rule.kind !== 'range' || !rule.fallback) throw new Error('expected a range rule with a fallback');
    expect(rule.fallback.derive([{ min: -1, max: 2 }, { min: -3, max: 4 }])).to.deep.equal({ min: -6, max: 8 });
  });
});
