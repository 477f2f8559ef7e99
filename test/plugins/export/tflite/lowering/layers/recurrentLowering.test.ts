import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { checkTfliteSupport } from '../../../../../../plugins/src/export/tflite/lowering/checkTfliteSupport';
import { exportTflite } from '../../../../../../plugins/src/export/tflite/exportTflite';
import { TfliteExportError } from '../../../../../../plugins/src/errors/TfliteExportError';
import { recurrentModel, type RecurrentClass, type RecurrentOptions } from '../../../../../helpers/sequenceModels';
import { compareWithTflite } from '../../compareWithTflite';
import { inputsFor, predictRows } from '../../fixtures';

const SAMPLES = 4;

/** Runs the float32 (or other mode) file in TFLite 2.9 on SAMPLES inputs and compares with predict(). */
async function compare(model: tf.LayersModel, mode: 'float32' | 'float16' | 'dynamic-range') {
  const xs = inputsFor(model, SAMPLES, 11);
  try {
    const reference = Array.from({ length: SAMPLES }, (_, i) => predictRows(model, xs, i));
    const { bytes, report } = await exportTflite(model, { mode });
    return { ...(await compareWithTflite(bytes, xs, reference)), report };
  } finally {
    tf.dispose(xs);
  }
}

// SimpleRNN, GRU and LSTM are unrolled over their fixed sequence (5 steps) into builtin operators;
// TFLite 2.9 (tfjs-tflite-node) runs each file.
describe('recurrent lowerings (SimpleRNN, GRU, LSTM unrolled): the float32 file computes what tfjs predict() computes', function () {
  this.timeout(60000);
  const classes: RecurrentClass[] = ['SimpleRNN', 'GRU', 'LSTM'];
  for (const cls of classes) {
    for (const returnSequences of [false, true]) {
      for (const goBackwards of [false, true]) {
        it(`${cls} returnSequences ${returnSequences}, goBackwards ${goBackwards}: within 1e-5`, async () => {
          const model = recurrentModel(cls, { returnSequences, goBackwards });
          const c = await compare(model, 'float32');
          model.dispose();
          expect(c.maxAbsError).to.be.below(1e-5);
          expect(c.maxAbsReference).to.be.above(0.1); // not vacuous
          const codes = c.report.operators.map((o) => o.code);
          expect(codes).to.include.members(['FULLY_CONNECTED', 'UNPACK']);
          if (returnSequences) expect(codes).to.include('PACK');
          if (cls !== 'SimpleRNN') expect(codes).to.include('SPLIT');
        });
      }
    }
  }

  const variants: [RecurrentClass, RecurrentOptions][] = [
    ['SimpleRNN', { activation: 'relu', useBias: false }],
    ['SimpleRNN', { activation: 'sigmoid', returnSequences: true, units: 1 }],
    ['GRU', { recurrentActivation: 'sigmoid', activation: 'relu' }],
    ['GRU', { useBias: false, returnSequences: true, goBackwards: true, units: 7 }],
    ['LSTM', { recurrentActivation: 'sigmoid', activation: 'linear', useBias: false }],
    ['LSTM', { returnState: true, returnSequences: true }],
    ['GRU', { returnState: true }],
  ];
  for (const [cls, options] of variants) {
    it(`${cls} ${JSON.stringify(options)}: within 1e-5 (every output)`, async () => {
      const model = recurrentModel(cls, options, 3);
      const c = await compare(model, 'float32');
      model.dispose();
      expect(c.outputs[0]).to.have.length(options.returnState ? (cls === 'LSTM' ? 3 : 2) : 1);
      expect(c.maxAbsError).to.be.below(1e-5);
      expect(c.maxAbsReference).to.be.above(0.05);
    });
  }

  for (const cls of classes) {
    it(`${cls}: float16 within float16 precision, dynamic-range with int8 kernels and recurrent kernels (hybrid FULLY_CONNECTED)`, async () => {
      const model = recurrentModel(cls, { returnSequences: true }, 2);
      const half = await compare(model, 'float16');
      expect(half.maxAbsError).to.be.below(2e-3);
      expect(half.report.weights.map((w) => [w.weightId, w.dtype])).to.deep.include.members([
        [`${cls.toLowerCase()}/kernel`, 'float16'],
        [`${cls.toLowerCase()}/recurrent_kernel`, 'float16'],
      ]);
      const dynamic = await compare(model, 'dynamic-range');
      model.dispose();
      expect(dynamic.maxAbsError).to.be.below(0.03);
      expect(dynamic.maxAbsError).to.be.above(0); // the kernels really are int8
      expect(dynamic.report.weights.map((w) => [w.weightId, w.dtype, w.scales])).to.deep.include.members([
        [`${cls.toLowerCase()}/kernel`, 'int8', 1],
        [`${cls.toLowerCase()}/recurrent_kernel`, 'int8', 1],
      ]);
      for (const o of dynamic.report.operators) if (o.code === 'FULLY_CONNECTED') expect(o.version).to.be.oneOf([3, 5]);
    });
  }

  it("GRU semantics are tfjs's: resetAfter (Keras's reset_after) is refused by tfjs itself, so every tfjs GRU is resetAfter false", () => {
    expect(() => tf.layers.gru({ units: 2, resetAfter: true } as Parameters<typeof tf.layers.gru>[0])).to.throw(/reset_after/);
  });
});

describe('recurrent lowerings: refusals, before anything is built', () => {
  const reasonOf = (model: tf.LayersModel, mode?: 'int8'): string => {
    try {
      checkTfliteSupport(model, mode);
    } catch (e) {
      expect(e).to.be.instanceOf(TfliteExportError);
      expect((e as TfliteExportError).reason).to.equal('unsupported-layer');
      return (e as Error).message;
    }
    return '';
  };

  it('int8: GRU and LSTM are refused, naming the layer, its class and why; the float modes accept the same model (SimpleRNN int8: SimpleRNNLowering.int8.test.ts)', async () => {
    for (const cls of ['GRU', 'LSTM'] as const) {
      const model = recurrentModel(cls);
      const name = cls.toLowerCase();
      expect(reasonOf(model)).to.equal('');
      expect(reasonOf(model, 'int8')).to.match(new RegExp(`'${name}' \\(${cls}\\): not in int8: .*the quantize plugin emulates no rounding inside ${cls}`));
      let thrown: unknown;
      await exportTflite(model, { mode: 'int8' }).catch((e: unknown) => (thrown = e));
      expect((thrown as TfliteExportError).unsupported).to.deep.equal([{ layer: name, className: cls, reason: (thrown as TfliteExportError).unsupported[0].reason }]);
      model.dispose();
    }
  });

  it('stateful layers, initial states given as inputs and unsupported activations are refused with the reason', () => {
    const stateful = tf.sequential({
      layers: [tf.layers.simpleRNN({ units: 2, stateful: true, batchInputShape: [1, 3, 2], name: 'stateful_rnn' })],
    });
    expect(reasonOf(stateful)).to.match(/'stateful_rnn' \(SimpleRNN\): stateful: true; a TFLite file keeps no state/);

    const x = tf.input({ shape: [3, 2] });
    const h0 = tf.input({ shape: [2] });
    const withState = tf.layers.gru({ units: 2, name: 'gru_with_state' }).apply(x, { initialState: [h0] }) as tf.SymbolicTensor;
    expect(reasonOf(tf.model({ inputs: [x, h0], outputs: withState }))).to.match(/'gru_with_state' \(GRU\): called with initial states/);

    const softplus = recurrentModel('LSTM', { recurrentActivation: 'softplus' });
    expect(reasonOf(softplus)).to.match(/'lstm' \(LSTM\): activation 'softplus'; supported in recurrent layers: linear, relu, relu6, sigmoid, tanh, hardSigmoid/);
    stateful.dispose();
    softplus.dispose();
  });
});
