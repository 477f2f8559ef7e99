import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { collab, modelWeights, resolveTargets, SessionError, TargetError, type LayerSupport } from '@collabopt/core';
import { testMask } from '../helpers/testPlugins';
import { detValues, smallMlp } from '../helpers/models';

/** Kernels of Dense/Conv2D by default; DepthwiseConv2D kernels and biases only on request. */
const support: LayerSupport = (layer) => {
  switch (layer.getClassName()) {
    case 'Dense':
    case 'Conv2D':
      return { default: ['kernel'], byId: ['bias'] };
    case 'DepthwiseConv2D':
      return { default: [], explicit: ['depthwise_kernel'], byId: ['bias'] };
    default:
      return null;
  }
};

function cnn(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, name: 'conv_a' }),
      tf.layers.depthwiseConv2d({ kernelSize: 3, name: 'dw' }),
      tf.layers.batchNormalization({ name: 'bn' }),
      tf.layers.conv2d({ filters: 4, kernelSize: 1, name: 'conv_b' }),
      tf.layers.flatten({ name: 'flat' }),
      tf.layers.dense({ units: 3, name: 'head' }),
    ],
  });
}

describe('Targeting', () => {
  const model = cnn();
  const weights = modelWeights(model);
  const resolve = (spec: object, rules: { select: string[]; settings: { k: number } }[] = [], warnings: string[] = []) =>
    resolveTargets({ plugin: 'p', weights, support, spec, rules, defaults: { k: 1 }, warn: (m) => warnings.push(m) });

  it('defaults to supported kernels, never biases, and warns once about unsupported layers', () => {
    const warnings: string[] = [];
    const ids = resolve({}, [], warnings).map((t) => t.weight.id);
    expect(ids).to.deep.equal(['conv_a/kernel', 'conv_b/kernel', 'head/kernel']);
    expect(warnings).to.deep.equal(['p: skipping 1 layer(s) with weights it does not support: bn (BatchNormalization)']);
  });

  it('selects by exact name, weight id, regex and class name; explicit requests reach opt-in weights', () => {
    expect(resolve({ include: ['dw'] }).map((t) => t.weight.id)).to.deep.equal(['dw/depthwise_kernel']);
    expect(resolve({ include: [{ className: 'DepthwiseConv2D' }] }).map((t) => t.weight.id)).to.deep.equal(['dw/depthwise_kernel']);
    expect(resolve({ include: ['/^conv_/'] }).map((t) => t.weight.id)).to.deep.equal(['conv_a/kernel', 'conv_b/kernel']);
    expect(resolve({ include: ['head/bias'] }).map((t) => t.weight.id)).to.deep.equal(['head/bias']);
    // Naming a layer is not naming its bias.
    expect(resolve({ include: ['head'] }).map((t) => t.weight.id)).to.deep.equal(['head/kernel']);
    // A per-layer rule naming an opt-in layer is an explicit request for it.
    expect(resolve({}, [{ select: ['dw'], settings: { k: 2 } }]).map((t) => [t.weight.id, t.settings.k])).to.deep.equal([
      ['conv_a/kernel', 1], ['dw/depthwise_kernel', 2], ['conv_b/kernel', 1], ['head/kernel', 1],
    ]);
    expect(resolve({ include: ['/./'], exclude: ['conv_b', { className: 'Dense' }] }).map((t) => t.weight.id)).to.deep.equal(['conv_a/kernel']);
    // A regex reaches only default weights: depthwise kernels need an explicit request.
    expect(resolve({ include: ['/dw/'] })).to.deep.equal([]);
  });

  it('rejects unknown names with a suggestion, and explicitly named unsupported layers', () => {
    expect(() => resolve({ include: ['conv_c'] })).to.throw(TargetError, /selects "conv_c", but the model has no such layer \(did you mean "conv_a"\?\)/);
    expect(() => resolve({ include: ['bn'] })).to.throw(TargetError, /layer "bn" \(BatchNormalization\) was selected explicitly, but p does not support BatchNormalization layers/);
    expect(() => resolve({ include: ['bn/gamma'] })).to.throw(TargetError, /does not support BatchNormalization/);
    expect(() => resolve({ include: ['/[/'] })).to.throw(TargetError, /include\[0\]: invalid regular expression/);
    expect(() => resolve({ include: [''] })).to.throw(TargetError, /include\[0\]: a selector must be a non-empty string/);
  });

  it('applies per-layer rules and rejects two rules with different settings on one weight', () => {
    const got = resolve({}, [{ select: ['head'], settings: { k: 8 } }]).map((t) => [t.weight.id, t.settings.k]);
    expect(got).to.deep.equal([['conv_a/kernel', 1], ['conv_b/kernel', 1], ['head/kernel', 8]]);
    expect(() => resolve({}, [{ select: ['/conv/'], settings: { k: 4 } }, { select: ['conv_b'], settings: { k: 8 } }]))
      .to.throw(TargetError, /weight "conv_b\/kernel" is matched by layers\[0\] and layers\[1\] with different settings/);
    // Same settings twice is not a conflict.
    expect(resolve({}, [{ select: ['/conv/'], settings: { k: 4 } }, { select: ['conv_b'], settings: { k: 4 } }])).to.have.length(3);
  });

  it('descends into nested models', () => {
    const inner = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 4, name: 'inner_dense' })] });
    const input = tf.input({ shape: [4] });
    const out = tf.layers.dense({ units: 2, name: 'outer_dense' }).apply(inner.apply(input)) as tf.SymbolicTensor;
    const nested = tf.model({ inputs: input, outputs: out });
    const ids = resolveTargets({ plugin: 'p', weights: modelWeights(nested), support, defaults: {}, warn: () => {} }).map((t) => t.weight.id);
    expect(ids).to.deep.equal(['inner_dense/kernel', 'outer_dense/kernel']);
  });
});

describe('Session: bad input', () => {
  it('rejects things that are not models', () => {
    expect(() => collab({} as tf.LayersModel, [])).to.throw(SessionError, /model must be a tf.LayersModel/);
  });

  it('rejects NaN/Inf weights before optimizing them', async () => {
    const model = smallMlp();
    const w = model.getWeights();
    const bad = detValues(w[0].size);
    bad[5] = NaN;
    model.setWeights([tf.tensor(bad, w[0].shape), ...w.slice(1)]);
    const s = collab(model, [testMask()], { onWarning: () => {} });
    const err = await s.finish().catch((e) => e);
    expect(err).to.be.instanceOf(SessionError);
    expect(err.message).to.match(/weight 'd1\/kernel' contains NaN or Infinity/);
  });

  it('rejects use after finish, a callback on another model, and bad checkEvery values', async () => {
    const model = smallMlp();
    const s = collab(model, [testMask()], { onWarning: () => {} });
    const other = smallMlp(2, ['o1', 'o2']);
    other.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const err = await other.fit(tf.zeros([2, 6]), tf.zeros([2, 3]), { verbose: 0, callbacks: [s.callback()] }).catch((e) => e);
    expect(err.message).to.match(/belongs to model '.*', but fit\(\) was called on model/);
    await s.finish();
    expect(() => s.callback()).to.throw(SessionError, /has finished; start a new stage with collab\(\)/);
    expect(() => collab(smallMlp(), [], { checkEvery: 0 })).to.throw(SessionError, /checkEvery must be/);
  });
});
