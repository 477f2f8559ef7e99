import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { lowerModel } from '../../../../../../plugins/src/export/tflite/lowering/lowerModel';
import { depthwiseBound } from '../../../../../../plugins/src/export/tflite/lowering/layers/SeparableConv2DLowering';
import { exportTflite } from '../../../../../../plugins/src/export/tflite/exportTflite';
import { compareWithTflite } from '../../compareWithTflite';
import { inputsFor, predictRows, randomize } from '../../fixtures';

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

  it('depthMultiplier 2: the depthwise half has in · 2 channels although tfjs leaves depthMultiplier out of getConfig()', async function () {
    this.timeout(60_000);
    const input = tf.input({ shape: [5, 5, 3], name: 'x' });
    const layer = tf.layers.separableConv2d({ filters: 4, kernelSize: 3, padding: 'same', depthMultiplier: 2, name: 'sep' });
    const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
    randomize(model, 3);
    // What this test guards against: tfjs's SeparableConv.getConfig() has no depthMultiplier.
    expect(layer.getConfig()).to.not.have.property('depthMultiplier');
    const graph = lowerModel(model, 1);
    const [dw, pw] = graph.ops;
    expect(dw.options).to.deep.include({ depthMultiplier: 2 });
    expect(dw.inputs[1].shape).to.deep.equal([1, 3, 3, 6]);
    expect(dw.outputs[0].shape).to.deep.equal([1, 5, 5, 6]);
    expect(pw.inputs[1].shape).to.deep.equal([4, 1, 1, 6]);
    // And the file computes what the layer computes.
    const xs = inputsFor(model, 4, 5);
    const { bytes } = await exportTflite(model, { mode: 'float32' });
    const reference = Array.from({ length: 4 }, (_, i) => predictRows(model, xs, i));
    const r = await compareWithTflite(bytes, xs, reference);
    expect(r.maxAbsError).to.be.below(1e-5 * Math.max(1, r.maxAbsReference));
    tf.dispose(xs);
    model.dispose();
  });

  it('bounds the depthwise output per channel over the input range (zero padding included)', () => {
    // Two channels: taps [1, -2] on channel 0, [0.5, 0.5] on channel 1.
    const kernel = Float32Array.from([1, 0.5, -2, 0.5]);
    expect(depthwiseBound(kernel, 2, { min: -1, max: 3 })).to.deep.equal({ min: -7, max: 5 });
  });
});
