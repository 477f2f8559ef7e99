import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lowerModel } from '../../../../../../plugins/src/export/tflite/lowering/lowerModel';
import { depthwiseBound } from '../../../../../../plugins/src/export/tflite/lowering/layers/SeparableConv2DLowering';

describe('SeparableConv2DLowering', () => {
  it('writes a bias-free DEPTHWISE_CONV_2D and a 1x1 CONV_2D with the middle range keyed separately', () => {
    const input = tf.input({ shape: [5, 5, 2], name: 'x' });
    const out = tf.layers.separableConv2d({ filters: 3, kernelSize: 3, name: 'sep' }).apply(input) as tf.SymbolicTensor;
    const graph = lowerModel(tf.model({ inputs: input, outputs: out }), 1);
    expect(graph.ops.map((o) => o.code)).to.deep.equal(['DEPTHWISE_CONV_2D', 'CONV_2D']);
    const [dw, pw] = graph.ops;
    expect(dw.inputs[1].shape).to.deep.equal([1, 3, 3, 2]);
    expect(dw.inputs[1].source?.layout).to.equal('depthwise');
    expect(Array.from(dw.inputs[2].data as Float32Array)).to.deep.equal([0, 0]);
    expect(dw.outputs[0].rule).to.deep.include({ kind: 'range', key: 'sep:depthwise' });
    expect(pw.inputs[1].shape).to.deep.equal([3, 1, 1, 2]);
    expect(pw.inputs[1].source?.layout).to.equal('outFirst');
  });

  it('bounds the depthwise output per channel over the input range (zero padding included)', () => {
    // Two channels: taps [1, -2] on channel 0, [0.5, 0.5] on channel 1.
    const kernel = Float32Array.from([1, 0.5, -2, 0.5]);
    expect(depthwiseBound(kernel, 2, { min: -1, max: 3 })).to.deep.equal({ min: -7, max: 5 });
  });
});
