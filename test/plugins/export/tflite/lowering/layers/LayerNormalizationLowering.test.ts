import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { checkTfliteSupport } from '../../../../../../plugins/src/export/tflite/lowering/checkTfliteSupport';
import { exportTflite } from '../../../../../../plugins/src/export/tflite/exportTflite';
import { compareWithTflite } from '../../compareWithTflite';
import { inputsFor, predictRows, randomize } from '../../fixtures';

const SAMPLES = 4;

function layerNormModel(shape: number[], args: Record<string, unknown>): tf.LayersModel {
  const input = tf.input({ shape });
  // Inputs are shifted and scaled so that the normalization does something.
  const shifted = tf.layers.dense({ units: shape[shape.length - 1], name: 'mix' }).apply(input) as tf.SymbolicTensor;
  const out = tf.layers.layerNormalization({ ...args, name: 'layer_norm' }).apply(shifted) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  randomize(model, 4);
  return model;
}

describe('LayerNormalizationLowering: MEAN, SUB, MUL, MEAN, ADD ε, RSQRT, MUL, MUL γ, ADD β', function () {
  this.timeout(60000);
  const cases: [string, number[], Record<string, unknown>][] = [
    ['rank 2, last axis', [6], {}],
    ['rank 3, last axis, epsilon 1e-5', [4, 6], { epsilon: 1e-5 }],
    ['rank 4, axes [1, 2, 3]', [3, 2, 4], { axis: [1, 2, 3] }],
    ['rank 3, axes [1, 2], no β', [4, 3], { axis: [1, 2], center: false }],
    ['rank 3, no γ', [4, 3], { scale: false }],
    ['rank 3, neither γ nor β', [4, 3], { scale: false, center: false }],
  ];
  for (const [name, shape, args] of cases) {
    it(`${name}: float32 within 1e-5 of predict(), float16 and dynamic-range within their precision`, async () => {
      const model = layerNormModel(shape, args);
      const xs = inputsFor(model, SAMPLES, 11);
      const reference = Array.from({ length: SAMPLES }, (_, i) => predictRows(model, xs, i));
      try {
        const float = await exportTflite(model, { mode: 'float32' });
        expect(float.report.operators.map((o) => o.code)).to.include.members(['MEAN', 'SUB', 'RSQRT']);
        const c = await compareWithTflite(float.bytes, xs, reference);
        expect(c.maxAbsError).to.be.below(1e-5);
        expect(c.maxAbsReference).to.be.above(0.5);
        expect((await compareWithTflite((await exportTflite(model, { mode: 'float16' })).bytes, xs, reference)).maxAbsError).to.be.below(2e-2);
        expect((await compareWithTflite((await exportTflite(model, { mode: 'dynamic-range' })).bytes, xs, reference)).maxAbsError).to.be.below(0.1);
      } finally {
        tf.dispose(xs);
        model.dispose();
      }
    });
  }

  it('refuses int8 and axes out of order (γ/β would be laid out differently), naming the layer, its class and why', () => {
    const model = layerNormModel([4, 3], {});
    expect(() => checkTfliteSupport(model)).to.not.throw();
    expect(() => checkTfliteSupport(model, 'int8')).to.throw(/'layer_norm' \(LayerNormalization\): not in int8: its mean, variance and reciprocal square root/);
    const unordered = layerNormModel([4, 3], { axis: [2, 1] });
    expect(() => checkTfliteSupport(unordered)).to.throw(/'layer_norm' \(LayerNormalization\): axis \[2, 1\] not in ascending order/);
    [model, unordered].forEach((m) => m.dispose());
  });
});
