import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { exportOnnx } from '../../../../plugins/src/export/onnx/exportOnnx';
import { randomModel } from '../../../helpers/randomModels';
import { inputsFor, MODELS } from '../tflite/fixtures';
import { maxRelativeError, predictAll, runOnnx } from './runOnnx';

// Every layer class the TFLite exporter supports appears in these models (fixtures.ts and the
// random corpus); onnxruntime runs each float32 file on a batch of 6 (the batch is free).
describe('ONNX export, float32: onnxruntime computes what tfjs predict computes', function () {
  this.timeout(120000);
  const cases: [string, () => tf.LayersModel][] = [
    ...Object.entries(MODELS),
    ...Array.from({ length: 8 }, (_, i): [string, () => tf.LayersModel] => [`random model ${i}`, () => randomModel(i).model]),
  ];
  for (const [name, make] of cases) {
    it(`${name}: within 1e-5 of the largest output`, async () => {
      const model = make();
      const xs = inputsFor(model, 6, 11);
      try {
        const { bytes, report } = exportOnnx(model, { mode: 'float32' });
        expect(report.opset).to.be.at.least(13);
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
});
