import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { modelLayers } from '@collabopt/core';
import { FIXED_RANGE_ACTIVATIONS } from '../../../plugins/src/common/fixedRangeActivations';
import { quantizationPlan } from '../../../plugins/src/quantization/quantizationPlan';

function planOf(model: tf.LayersModel): Map<string, { placement: string; outputGrid: unknown }> {
  const plan = quantizationPlan(model, new Set(modelLayers(model)));
  return new Map(plan.layers.map((lp) => [lp.layer.name, { placement: lp.placement, outputGrid: lp.outputGrid }]));
}

describe('quantizationPlan: rounding where the int8 file rounds', () => {
  it("Activation('linear') keeps its input's quantization (the exporter drops it)", () => {
    const input = tf.input({ shape: [4] });
    const d = tf.layers.dense({ units: 3, name: 'd' }).apply(input) as tf.SymbolicTensor;
    const lin = tf.layers.activation({ activation: 'linear', name: 'lin' }).apply(d) as tf.SymbolicTensor;
    const plan = planOf(tf.model({ inputs: input, outputs: lin }));
    expect(plan.get('d')!.placement).to.equal('output');
    expect(plan.get('lin')!.placement).to.equal('passThrough');
  });

  it("a layer read only by a Concatenate is quantized by the Concatenate's output; one read by others too keeps its own", () => {
    const input = tf.input({ shape: [6, 6, 2] });
    const a = tf.layers.conv2d({ filters: 2, kernelSize: 1, activation: 'relu', name: 'a' }).apply(input) as tf.SymbolicTensor;
    const b = tf.layers.conv2d({ filters: 2, kernelSize: 1, name: 'b' }).apply(a) as tf.SymbolicTensor;
    const cat = tf.layers.concatenate({ name: 'cat' }).apply([a, b]) as tf.SymbolicTensor;
    const plan = planOf(tf.model({ inputs: input, outputs: cat }));
    expect(plan.get('a')!.placement).to.equal('output');
    expect(plan.get('b')!.placement).to.equal('deferred');
    expect(plan.get('cat')!.placement).to.equal('output');
  });

  it("softmax, sigmoid and tanh outputs carry TFLite's fixed grid, fused or as their own layer", () => {
    const input = tf.input({ shape: [4] });
    const d = tf.layers.dense({ units: 3, activation: 'tanh', name: 'd' }).apply(input) as tf.SymbolicTensor;
    const e = tf.layers.dense({ units: 3, name: 'e' }).apply(d) as tf.SymbolicTensor;
    const s = tf.layers.softmax({ name: 's' }).apply(e) as tf.SymbolicTensor;
    const plan = planOf(tf.model({ inputs: input, outputs: s }));
    expect(plan.get('d')).to.deep.equal({ placement: 'preActivation', outputGrid: FIXED_RANGE_ACTIVATIONS.tanh });
    expect(plan.get('e')).to.deep.equal({ placement: 'output', outputGrid: null });
    expect(plan.get('s')).to.deep.equal({ placement: 'fixed', outputGrid: FIXED_RANGE_ACTIVATIONS.softmax });
  });
});
