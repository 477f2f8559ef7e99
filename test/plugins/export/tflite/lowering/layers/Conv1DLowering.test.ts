import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lowerModel } from '../../../../../../plugins/src/export/tflite/lowering/lowerModel';

describe('Conv1DLowering', () => {
  it('writes RESHAPE → CONV_2D → RESHAPE, the 4-D result carrying the range and the squeezed output sharing it', () => {
    const input = tf.input({ shape: [8, 3], name: 'x' });
    const out = tf.layers.conv1d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', name: 'c1' }).apply(input) as tf.SymbolicTensor;
    const graph = lowerModel(tf.model({ inputs: input, outputs: out }), 1);
    expect(graph.ops.map((o) => o.code)).to.deep.equal(['RESHAPE', 'CONV_2D', 'RESHAPE']);
    const conv = graph.ops[1];
    expect(conv.inputs[0].shape).to.deep.equal([1, 1, 8, 3]);
    expect(conv.inputs[1].shape).to.deep.equal([4, 1, 3, 3]);
    expect(conv.options).to.deep.include({ padding: 'SAME', strideW: 2, strideH: 1 });
    expect(conv.outputs[0].rule).to.deep.include({ kind: 'range', key: 'c1' });
    const squeezed = graph.ops[2].outputs[0];
    expect(squeezed.shape).to.deep.equal([1, 4, 4]);
    expect(squeezed.rule).to.deep.equal({ kind: 'same', as: conv.outputs[0] });
  });
});
