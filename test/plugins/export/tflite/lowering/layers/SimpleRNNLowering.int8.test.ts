import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { collab } from '@collabopt/core';
import { recurrentRangeKeys } from '../../../../../../plugins/src/common/recurrentRangeKeys';
import { exportTflite } from '../../../../../../plugins/src/export/tflite/exportTflite';
import { checkTfliteSupport } from '../../../../../../plugins/src/export/tflite/lowering/checkTfliteSupport';
import { observeActivationRanges } from '../../../../../../plugins/src/export/tflite/observeActivationRanges';
import { quantize } from '../../../../../../plugins/src/quantization/QuantizePlugin';
import { simpleRnnForward } from '../../../../../../plugins/src/quantization/simpleRnnForward';
import { measureInt8Fidelity, runInt8File } from '../../../../../helpers/int8Fidelity';
import { recurrentModel, type RecurrentOptions } from '../../../../../helpers/sequenceModels';
import { inputsFor } from '../../fixtures';

const UNITS = 4;
const quiet = { onWarning: () => {} };

// An int8 SimpleRNN file rounds the input projection, each step's recurrent product and sum onto
// their recorded grids and the state onto TANH's (LOGISTIC's) fixed grid; the quantize plugin
// rounds at the same places. Measured in TFLite 2.9 against the session's fake-quant predict().
describe('SimpleRNN in int8: the file computes what the fake-quant model computes', function () {
  this.timeout(120000);

  it('simpleRnnForward with identity taps is the layer itself (every option)', () => {
    const id = { projection: (v: tf.Tensor) => v, recurrent: (v: tf.Tensor) => v, preActivation: (v: tf.Tensor) => v, state: (v: tf.Tensor) => v };
    for (const options of [{}, { returnSequences: true, goBackwards: true }, { returnState: true, useBias: false, activation: 'sigmoid' }] as RecurrentOptions[]) {
      const model = recurrentModel('SimpleRNN', options, 5);
      const [x] = inputsFor(model, 3, 2);
      const layer = model.getLayer('simplernn');
      const expected = [layer.apply(x) as tf.Tensor | tf.Tensor[]].flat();
      const actual = [simpleRnnForward(layer, x, id)].flat();
      expect(actual).to.have.length(expected.length);
      actual.forEach((a, i) => expect(tf.max(tf.abs(tf.sub(a, expected[i]))).dataSync()[0]).to.be.below(1e-6));
      tf.dispose([x, ...expected, ...actual]);
      model.dispose();
    }
  });

  const cases: [string, RecurrentOptions][] = [
    ['last state', {}],
    ['returnSequences', { returnSequences: true }],
    ['returnSequences, goBackwards', { returnSequences: true, goBackwards: true }],
    ['sigmoid, returnSequences', { activation: 'sigmoid', returnSequences: true }],
  ];
  for (const scenario of ['ptq', 'qat'] as const) {
    for (const [name, options] of cases) {
      it(`${scenario}, ${name}: within 1 output step at the first step, 2 over the 5-step sequence (seeds 1, 2)`, async () => {
        for (const seed of [1, 2]) {
          const model = recurrentModel('SimpleRNN', { ...options, units: UNITS }, seed);
          let firstStep = 0;
          const result = await measureInt8Fidelity(model, scenario, {
            seed,
            measure: async (m, state, xs, reference) => {
              const { bytes, report } = await exportTflite(m, { mode: 'int8' }, state);
              expect(report.notes.filter((n) => /bounded/.test(n)), 'no range is bounded').to.deep.equal([]);
              for (const id of ['simplernn/kernel', 'simplernn/recurrent_kernel']) {
                expect(report.weights.find((w) => w.weightId === id)!.verified, id).to.include('int8-grid');
              }
              const step = options.activation === 'sigmoid' ? 1 / 256 : 1 / 128;
              const rows = (await runInt8File(bytes, xs)).map((o) => o[0]!);
              let max = 0;
              rows.forEach((row, i) =>
                row.forEach((v, j) => {
                  const d = Math.abs(v - reference[i]![j]!) / step;
                  max = Math.max(max, d);
                  // The first step processed: elements j < units (in processing order, as tfjs returns it).
                  if (options.returnSequences && j < UNITS) firstStep = Math.max(firstStep, d);
                }),
              );
              return { maxSteps: max, outputSteps: [step] };
            },
          });
          model.dispose();
          expect(result.maxSteps, `seed ${seed}`).to.be.at.most(2 + 1e-4);
          expect(firstStep, `seed ${seed}, first step`).to.be.at.most(1 + 1e-4);
        }
      });
    }
  }

  it('observeActivationRanges records the ranges inside the layer (PTQ without the plugin); the export then runs', async () => {
    const model = recurrentModel('SimpleRNN', { units: UNITS }, 3);
    const [xs] = inputsFor(model, 16, 4);
    const ranges = await observeActivationRanges(model, xs);
    const keys = recurrentRangeKeys('simplernn');
    for (const key of [keys.projection, keys.recurrent, keys.preActivation]) {
      const r = ranges.get(key)!;
      expect(r, key).to.not.equal(undefined);
      expect(r.max - r.min, key).to.be.above(0.1);
    }
    const session = collab(model, [quantize({ mode: 'ptq' })], { train: false, ...quiet });
    await session.calibrate(xs);
    const { state } = await session.finish();
    // The plugin's calibration observes the same values, its weights on their int8 grids.
    for (const key of [keys.projection, keys.recurrent, keys.preActivation]) {
      expect(state.activationRanges.get(key)!.min, key).to.be.closeTo(ranges.get(key)!.min, 0.02);
      expect(state.activationRanges.get(key)!.max, key).to.be.closeTo(ranges.get(key)!.max, 0.02);
    }
    expect((await exportTflite(model, { mode: 'int8' }, state)).bytes.length).to.be.above(0);
    state.dispose();
    xs.dispose();
    model.dispose();
  });

  it('refuses int8 for other activations (the state needs a fixed grid), and the quantize plugin refuses them too', () => {
    const model = recurrentModel('SimpleRNN', { activation: 'relu' });
    expect(() => checkTfliteSupport(model)).to.not.throw();
    expect(() => checkTfliteSupport(model, 'int8')).to.throw(/'simplernn' \(SimpleRNN\): not in int8: activation 'relu'; an int8 SimpleRNN needs tanh or sigmoid/);
    expect(() => collab(model, [quantize()], quiet)).to.throw(/simplernn \(SimpleRNN\)/);
    model.dispose();
  });
});
