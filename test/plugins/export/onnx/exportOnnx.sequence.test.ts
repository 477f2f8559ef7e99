import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { exportOnnx } from '../../../../plugins/src/export/onnx/exportOnnx';
import { embeddingModel, kwsCrnn, recurrentModel, tokenInputs } from '../../../helpers/sequenceModels';
import { inputsFor } from '../tflite/fixtures';
import { measureInt8Fidelity } from '../../../helpers/int8Fidelity';
import { measureOnnxInt8 } from './measureOnnxInt8';
import { maxRelativeError, predictAll, runOnnx } from './runOnnx';

// The sequence layers' operators (GATHER, CAST, SUB, RSQRT, SPLIT, UNPACK, PACK) translated to
// ONNX (Gather, Cast, Sub, Sqrt + Reciprocal, Slice, Gather, Unsqueeze + Concat); onnxruntime runs
// each float32 file on a batch of 5 (the batch is free in ONNX files).
describe('ONNX export, float32, sequence layers: onnxruntime computes what tfjs predict computes', function () {
  this.timeout(60000);
  const cases: [string, () => tf.LayersModel, ((m: tf.LayersModel) => tf.Tensor[])?][] = [
    ['Embedding → LayerNormalization → Dense', () => embeddingModel(2), () => [tokenInputs(5, 9)]],
    ['SimpleRNN (returnSequences, goBackwards)', () => recurrentModel('SimpleRNN', { returnSequences: true, goBackwards: true })],
    ['GRU (hardSigmoid gates)', () => recurrentModel('GRU', {})],
    ['LSTM (returnSequences, returnState)', () => recurrentModel('LSTM', { returnSequences: true, returnState: true })],
    ['KWS CRNN', () => kwsCrnn(3)],
  ];
  for (const [name, make, inputs] of cases) {
    it(`${name}: within 1e-5 of the largest output`, async () => {
      const model = make();
      const xs = inputs ? inputs(model) : inputsFor(model, 5, 11);
      try {
        const { bytes } = exportOnnx(model, { mode: 'float32' });
        const expected = predictAll(model, xs);
        const actual = await runOnnx(bytes, xs);
        expect(actual).to.have.length(expected.length);
        expected.forEach((e, i) => expect(maxRelativeError(actual[i]!, e), `output ${i}`).to.be.below(1e-5));
      } finally {
        tf.dispose(xs);
        model.dispose();
      }
    });
  }

  for (const scenario of ['ptq', 'qat'] as const) {
    it(`int8 (QDQ) SimpleRNN after ${scenario}: within 2 output steps of the fake-quant model over 5 steps (as the TFLite file)`, async () => {
      for (const seed of [1, 2]) {
        const { maxSteps } = await measureInt8Fidelity(recurrentModel('SimpleRNN', { returnSequences: true }, seed), scenario, { seed, measure: measureOnnxInt8 });
        expect(maxSteps, `seed ${seed}`).to.be.at.most(2 + 1e-4);
      }
    });
  }

  it('int8 (QDQ) refuses GRU, LSTM, Embedding and LayerNormalization before building anything, as the TFLite int8 file does', () => {
    const model = recurrentModel('GRU', {});
    expect(() => exportOnnx(model, { mode: 'int8' })).to.throw(/'gru' \(GRU\): not in int8/);
    model.dispose();
    const text = embeddingModel(1);
    expect(() => exportOnnx(text, { mode: 'int8' })).to.throw(/'embedding' \(Embedding\): not in int8[\s\S]*'layer_norm' \(LayerNormalization\): not in int8/);
    text.dispose();
  });
});
