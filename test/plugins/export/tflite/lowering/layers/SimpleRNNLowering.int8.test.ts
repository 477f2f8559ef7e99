import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { collab } from '@collabopt/core';
import { recurrentRangeKeys } from '../../../../../../plugins/src/common/recurrentRangeKeys';
import { exportTflite } from '../../../../../../plugins/src/export/tflite/exportTflite';
import { checkTfliteSupport } from '../../../../../../plugins/src/export/tflite/lowering/checkTfliteSupport';
import { observeActivationRanges } from '../../../../../../plugins/src/export/tflite/observeActivationRanges';
import { quantize } from '../../../../../../plugins/src/quantization/QuantizePlugin';
import { simpleRnnForward } from '../../../../../../plugins/src/quantization/simpleRnnForward';
import { measureInt8Fidelity } from '../../../../../helpers/int8Fidelity';
import { runtimesToCheck } from '../../../../../helpers/liteRt';
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

  it('the file: kernels on the int8 grid QAT recorded (verified on the bytes), no range bounded instead of observed', async () => {
    await measureInt8Fidelity(recurrentModel('SimpleRNN', { returnSequences: true, units: UNITS }, 1), 'qat', {
      measure: async (m, state) => {
        const { report } = await exportTflite(m, { mode: 'int8' }, state);
        expect(report.notes.filter((n) => /bounded/.test(n)), 'no range is bounded').to.deep.equal([]);
        for (const id of ['simplernn/kernel', 'simplernn/recurrent_kernel']) {
          const w = report.weights.find((x) => x.weightId === id)!;
          expect(w.verified, id).to.include('int8-grid');
          expect(w.scales, id).to.equal(1);
        }
        expect(report.operators.map((o) => [o.code, o.version])).to.deep.include.members([['UNPACK', 2], ['PACK', 2], ['TANH', 2], ['FULLY_CONNECTED', 5]]);
        return { maxSteps: 0, outputSteps: [] };
      },
    });
  });

  // One step is the layer as a single layer (one projection, one TANH/LOGISTIC): the one-step
  // contract. Five steps are fifteen roundings deep, each step reading the previous state: the
  // contract for deeper models (2). LiteRT (the reference) measured within 1 on 63 of 64
  // five-step measurements (README).
  const cases: [string, RecurrentOptions, number, number][] = [
    ['tanh, 1 step', {}, 1, 1],
    ['sigmoid, 1 step', { activation: 'sigmoid' }, 1, 1],
    ['tanh, 5 steps, last state', {}, 5, 2],
    ['tanh, 5 steps, returnSequences', { returnSequences: true }, 5, 2],
    ['tanh, 5 steps, returnSequences, goBackwards', { returnSequences: true, goBackwards: true }, 5, 2],
    ['sigmoid, 5 steps, returnSequences', { activation: 'sigmoid', returnSequences: true }, 5, 2],
  ];
  for (const scenario of ['ptq', 'qat'] as const) {
    for (const [name, options, steps, bound] of cases) {
      it(`${scenario}, ${name}: within ${bound} output step(s) of the fake-quant model in every runtime (seeds 1, 2)`, async () => {
        const runtimes = await runtimesToCheck(`SimpleRNN int8 ${scenario} ${name}`);
        for (const seed of [1, 2]) {
          const model = recurrentModel('SimpleRNN', { ...options, units: UNITS }, seed, steps);
          const result = await measureInt8Fidelity(model, scenario, { seed, runtimes });
          model.dispose();
          for (const runtime of runtimes) expect(result.byRuntime![runtime], `seed ${seed}, ${runtime}`).to.be.at.most(bound + 1e-4);
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
