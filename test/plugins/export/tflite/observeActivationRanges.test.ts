import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { OptimizationState, preActivationRangeKey } from '@collabopt/core';
import { exportTflite } from '../../../../plugins/src/export/tflite/exportTflite';
import { observeActivationRanges } from '../../../../plugins/src/export/tflite/observeActivationRanges';
import { separableDepthwiseRangeKey } from '../../../../plugins/src/common/separableDepthwiseRangeKey';
import { expectRunsInTflite } from './compareWithTflite';
import { inputsFor, sequentialCnn, sharedLayerFunctional } from './fixtures';

function range(t: tf.Tensor): { min: number; max: number } {
  const v = t.dataSync();
  let min = 0;
  let max = 0;
  for (const x of v) {
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  return { min, max };
}

describe('observeActivationRanges: calibration for int8 export without the quantize plugin', () => {
  it('records inputs, every layer output, pre-activation values and separable-conv middles (min/max over all samples, widened to 0)', async () => {
    const model = sequentialCnn();
    const xs = inputsFor(model, 10);
    const before = tf.memory().numTensors;
    const ranges = await observeActivationRanges(model, xs, { batchSize: 3 });
    expect(tf.memory().numTensors).to.equal(before);
    const names = model.layers.map((l) => l.name);
    for (const n of names) expect(ranges.has(n), n).to.equal(true);
    expect(ranges.has('c1_input')).to.equal(true);
    expect(ranges.has(preActivationRangeKey('c2'))).to.equal(true);
    expect(ranges.has(preActivationRangeKey('probs'))).to.equal(true);
    expect(ranges.has(separableDepthwiseRangeKey('sep1'))).to.equal(true);
    for (const [key, r] of ranges) expect(r.min <= 0 && r.max >= 0, key).to.equal(true);
    // Exact values: an input range, a whole-model output, and the logits before the softmax.
    expect(ranges.get('c1_input')).to.deep.equal(range(xs[0]));
    const out = model.predict(xs[0]) as tf.Tensor;
    expect(ranges.get('probs')).to.deep.equal(range(out));
    const probs = model.getLayer('probs') as tf.layers.Layer;
    const gap = tf.model({ inputs: model.inputs, outputs: model.getLayer('gap').output as tf.SymbolicTensor }).predict(xs[0]) as tf.Tensor;
    const [kernel, bias] = probs.getWeights();
    const logits = tf.add(tf.matMul(gap, kernel), bias);
    const r = ranges.get(preActivationRangeKey('probs'))!;
    expect(r.min).to.be.closeTo(range(logits).min, 1e-6);
    expect(r.max).to.be.closeTo(range(logits).max, 1e-6);
    expect(r.min).to.be.below(0); // logits, not probabilities
    // The activation swapped in for the second pass is restored.
    const again = model.predict(xs[0]) as tf.Tensor;
    expect(Array.from(again.dataSync())).to.deep.equal(Array.from(out.dataSync()));
    tf.dispose([...xs, out, gap, logits, again]);
    model.dispose();
  });

  it('fills a state, unions the calls of a shared layer, and checks its inputs', async () => {
    const model = sharedLayerFunctional();
    const xs = inputsFor(model, 8);
    const state = new OptimizationState();
    const ranges = await observeActivationRanges(model, xs, { state });
    expect([...state.activationRanges.keys()].sort()).to.deep.equal([...ranges.keys()].sort());
    const calls = (model.getLayer('shared') as unknown as { inboundNodes: unknown[] }).inboundNodes.length;
    expect(calls).to.equal(2);
    const outs = tf.model({ inputs: model.inputs, outputs: [model.getLayer('shared').getOutputAt(0), model.getLayer('shared').getOutputAt(1)] as tf.SymbolicTensor[] }).predict(xs) as tf.Tensor[];
    const [ra, rb] = outs.map(range);
    expect(ranges.get('shared')).to.deep.equal({ min: Math.min(ra.min, rb.min), max: Math.max(ra.max, rb.max) });
    const { bytes, report } = await exportTflite(model, { mode: 'int8' }, state);
    await expectRunsInTflite(bytes);
    expect(report.expandedBatchNorms).to.deep.equal(['s_bn']);
    expect(report.fusedActivations).to.deep.equal(['s_relu → shared']);
    try {
      await observeActivationRanges(model, xs[0]);
      expect.fail('expected an error');
    } catch (e) {
      expect((e as Error).message).to.match(/has 2 input\(s\), got 1 tensor/);
    }
    tf.dispose([...xs, ...outs]);
    state.dispose();
    model.dispose();
  });
});
