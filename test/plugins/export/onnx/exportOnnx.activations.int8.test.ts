import { expect } from 'chai';
import { measureInt8Fidelity } from '../../../helpers/int8Fidelity';
import { unitCaseModel, type UnitCase } from '../../../helpers/randomModels';
import { measureOnnxInt8 } from './measureOnnxInt8';

/** The activation and merge unit cases of the int8 fidelity harness, as QDQ ONNX files in onnxruntime. */
const CASES: readonly UnitCase[] = ['leaky-relu', 'prelu', 'elu', 'conv-gelu', 'conv-swish', 'hard-swish', 'maximum', 'minimum', 'average', 'average-3', 'dense-hard-sigmoid'];

describe('ONNX export, int8: activation and merge layers agree with the fake-quant model within one output step (onnxruntime)', function () {
  this.timeout(300_000);

  for (const scenario of ['ptq', 'qat'] as const) {
    it(`${CASES.join(', ')} → dense (linear), after ${scenario.toUpperCase()}`, async () => {
      const results: string[] = [];
      for (const unit of CASES) {
        const { model, describe } = unitCaseModel(unit, 1, 'linear');
        const { maxSteps } = await measureInt8Fidelity(model, scenario, { measure: measureOnnxInt8 });
        model.dispose();
        results.push(`${describe}: ${maxSteps.toFixed(2)}`);
        expect(maxSteps, results.join('\n')).to.be.at.most(1 + 1e-4);
      }
    });
  }
});
