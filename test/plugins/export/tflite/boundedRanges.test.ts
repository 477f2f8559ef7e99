import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { collab } from '@collabopt/core';
import { mergePartialRangeKey } from '../../../../plugins/src/common/mergePartialRangeKey';
import { separableDepthwiseRangeKey } from '../../../../plugins/src/common/separableDepthwiseRangeKey';
import { exportTflite } from '../../../../plugins/src/export/tflite/exportTflite';
import { quantize } from '../../../../plugins/src/quantization/QuantizePlugin';
import { randomModel, unitCaseModel } from '../../../helpers/randomModels';
import { inputsFor, multiInputFunctional } from './fixtures';

const quiet = { onWarning: () => {} };

/** A short QAT fine-tune of `model` on random targets; returns the finished state. */
async function qat(model: tf.LayersModel) {
  const xs = inputsFor(model, 16, 5);
  const outShape = model.outputs[0]!.shape.slice(1) as number[];
  const ys = tf.randomUniform([16, ...outShape], 0, 1, 'float32', 2);
  model.compile({ optimizer: tf.train.adam(0.003), loss: 'meanSquaredError' });
  const session = collab(model, [quantize()], quiet);
  await model.fit(xs.length === 1 ? xs[0]! : xs, ys, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0, callbacks: [session.callback()] });
  tf.dispose([...xs, ys]);
  return (await session.finish()).state;
}

const bounded = (notes: readonly string[]) => notes.filter((n) => /bounded/.test(n));

describe('int8 export: ranges bounded rather than observed are in the report', function () {
  this.timeout(120_000);

  it('after QAT, none: every tensor of separable, concatenate, add, multiply and BatchNormalization models has an observed range', async () => {
    // Models 12, 13 and 33 hold separable convolutions, concatenations, a residual add, a gate, a standalone BatchNormalization.
    const models = [12, 13, 33].map((seed) => randomModel(seed)).concat([unitCaseModel('rank2-bn', 1), unitCaseModel('separable-multiplier', 1)]);
    for (const { model, describe } of models) {
      const state = await qat(model);
      const { report } = await exportTflite(model, { mode: 'int8' }, state);
      expect(bounded(report.notes), describe).to.deep.equal([]);
      state.dispose();
      model.dispose();
    }
  });

  it('a separable layer whose middle range is missing: the bound from the input range is noted, naming the range', async () => {
    const { model } = unitCaseModel('separable-multiplier', 2);
    const state = await qat(model);
    state.activationRanges.delete(separableDepthwiseRangeKey('sep'));
    const { report } = await exportTflite(model, { mode: 'int8' }, state);
    expect(bounded(report.notes)).to.have.length(1);
    expect(bounded(report.notes)[0]).to.include(`range '${separableDepthwiseRangeKey('sep')}' not in the state: bounded from the input range`);
    state.dispose();
    model.dispose();
  });

  it('merges of three inputs: after QAT the partial results have recorded ranges; without them each bound is noted, naming the key', async () => {
    const model = multiInputFunctional();
    const state = await qat(model);
    const keys = [mergePartialRangeKey('m_add3', 1), mergePartialRangeKey('m_mul3', 1)];
    for (const k of keys) expect(state.activationRanges.has(k), k).to.equal(true);
    expect(bounded((await exportTflite(model, { mode: 'int8' }, state)).report.notes)).to.deep.equal([]);
    for (const k of keys) state.activationRanges.delete(k);
    const notes = bounded((await exportTflite(model, { mode: 'int8' }, state)).report.notes);
    expect(notes).to.have.length(2);
    expect(notes.find((n) => n.includes(`partial sum 1 of 'm_add3', 3 inputs): range '${keys[0]}' not in the state`))).to.not.equal(undefined);
    expect(notes.find((n) => n.includes(`partial product 1 of 'm_mul3', 3 inputs): range '${keys[1]}' not in the state`))).to.not.equal(undefined);
    state.dispose();
    model.dispose();
  });
});
