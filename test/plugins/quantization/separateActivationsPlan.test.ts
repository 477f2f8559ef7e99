import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { collab, modelLayers, preActivationRangeKey } from '@collabopt/core';
import { FIXED_RANGE_ACTIVATIONS } from '../../../plugins/src/common/fixedRangeActivations';
import { quantize } from '../../../plugins/src/quantization/QuantizePlugin';
import { quantizationPlan } from '../../../plugins/src/quantization/quantizationPlan';

describe('quantizationPlan: separate activations, hardSigmoid and PReLU', () => {
  it('quantizes before and after an elu/gelu/swish of a Dense/Conv layer, rounds swish inside, and puts hardSigmoid on its fixed grid', () => {
    const input = tf.input({ shape: [6, 6, 2] });
    const e = tf.layers.conv2d({ filters: 2, kernelSize: 1, activation: 'elu', name: 'e' }).apply(input) as tf.SymbolicTensor;
    const s = tf.layers.conv2d({ filters: 2, kernelSize: 1, activation: 'swish', name: 's' }).apply(e) as tf.SymbolicTensor;
    const as = tf.layers.activation({ activation: 'swish', name: 'as' }).apply(s) as tf.SymbolicTensor;
    const h = tf.layers.conv2d({ filters: 2, kernelSize: 1, activation: 'hardSigmoid', name: 'h' }).apply(as) as tf.SymbolicTensor;
    const ah = tf.layers.activation({ activation: 'hardSigmoid', name: 'ah' }).apply(h) as tf.SymbolicTensor;
    const p = tf.layers.prelu({ name: 'p' }).apply(ah) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: p });
    const plan = new Map(quantizationPlan(model, new Set(modelLayers(model))).layers.map((lp) => [lp.layer.name, lp]));
    const pick = (n: string) => ({ placement: plan.get(n)!.placement, outputGrid: plan.get(n)!.outputGrid, innerGrid: plan.get(n)!.innerGrid });
    expect(pick('e')).to.deep.equal({ placement: 'preActivationAndOutput', outputGrid: null, innerGrid: null });
    expect(pick('s')).to.deep.equal({ placement: 'preActivationAndOutput', outputGrid: null, innerGrid: FIXED_RANGE_ACTIVATIONS.sigmoid });
    expect(pick('as')).to.deep.equal({ placement: 'output', outputGrid: null, innerGrid: FIXED_RANGE_ACTIVATIONS.sigmoid });
    expect(pick('h')).to.deep.equal({ placement: 'preActivation', outputGrid: FIXED_RANGE_ACTIVATIONS.hardSigmoid, innerGrid: null });
    expect(pick('ah')).to.deep.equal({ placement: 'fixed', outputGrid: FIXED_RANGE_ACTIVATIONS.hardSigmoid, innerGrid: null });
    expect(pick('p').placement).to.equal('output');
    expect([...plan.get('p')!.weights]).to.deep.equal([['alpha', { kind: 'perTensor' }]]);
    model.dispose();
  });

  it("the quantize plugin records the ranges the exporter reads for a Dense's swish (before and after it) and puts PReLU's slopes on an int8 grid", async () => {
    const input = tf.input({ shape: [4] });
    const s = tf.layers.dense({ units: 3, activation: 'swish', name: 's' }).apply(input) as tf.SymbolicTensor;
    const p = tf.layers.prelu({ name: 'p', alphaInitializer: 'glorotUniform' }).apply(s) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: p });
    const xs = tf.randomUniform([16, 4], -2, 2, 'float32', 1);
    const session = collab(model, [quantize({ mode: 'ptq' })], { train: false, onWarning: () => {} });
    await session.calibrate(xs);
    const { state } = await session.finish();
    expect([...state.activationRanges.keys()].sort()).to.deep.equal([input.sourceLayer.name, 'p', 's', preActivationRangeKey('s')].sort());
    const grid = state.get<{ scales: Float32Array }>('p/alpha', 'int8-grid')!.data;
    const alpha = (model.getLayer('p').getWeights()[0]!.dataSync() as Float32Array);
    for (const a of alpha) expect(Math.abs(a / grid.scales[0]! - Math.round(a / grid.scales[0]!))).to.be.below(1e-4);
    state.dispose();
    xs.dispose();
    model.dispose();
  });
});
