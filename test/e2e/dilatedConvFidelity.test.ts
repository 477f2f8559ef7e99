/**
 * Dilated convolutions end to end (issue 16): tfjs cannot differentiate them, collabopt's
 * training kernels can, so the QAT fine-tune here runs on the training backend. Each int8 file
 * (dilated CONV_2D / DEPTHWISE_CONV_2D) is within one output step of the session's fake-quant
 * model after PTQ and after QAT (softmax heads: logits within one logit step and the softmax of
 * the file's own logits within one step, as in int8Fidelity.test.ts), and the float32 file
 * computes what tfjs predicts.
 */
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { exportTflite } from '../../plugins/src/export/tflite/exportTflite';
import { measureInt8Fidelity } from '../helpers/int8Fidelity';
import { runtimesToCheck } from '../helpers/liteRt';
import { withTrainingBackend } from '../helpers/mnist';
import { DILATED_UNIT_CASES, unitCaseModel, type DilatedUnitCase } from '../helpers/randomModels';
import { compareWithTflite } from '../plugins/export/tflite/compareWithTflite';
import { inputsFor, predictRows } from '../plugins/export/tflite/fixtures';

const slack = 1e-4;

describe('dilated convolutions: trained with collabopt\'s kernels, exported within the int8 contract', function () {
  withTrainingBackend(this, 300_000);

  for (const unit of Object.keys(DILATED_UNIT_CASES) as DilatedUnitCase[]) {
    it(`${unit}: the float32 file computes what tfjs predicts, and its operators carry the dilation`, async () => {
      const { model } = unitCaseModel(unit, 1);
      const xs = inputsFor(model, 4, 3);
      try {
        const { bytes, report } = await exportTflite(model, { mode: 'float32' });
        const reference = Array.from({ length: 4 }, (_, i) => predictRows(model, xs, i));
        const r = await compareWithTflite(bytes, xs, reference);
        expect(r.maxAbsError).to.be.at.most(1e-5 * Math.max(1, r.maxAbsReference));
        expect(report.operators.map((o) => o.code)).to.include(unit === 'dilated-separable' ? 'DEPTHWISE_CONV_2D' : 'CONV_2D');
      } finally {
        tf.dispose(xs);
        model.dispose();
      }
    });
    for (const scenario of ['ptq', 'qat'] as const) {
      it(`${unit} → dense (linear) within one step; softmax head: logits and softmax apart, after ${scenario.toUpperCase()}`, async () => {
        const runtimes = await runtimesToCheck('dilated int8 fidelity');
        for (const seed of [1, 2]) {
          for (const head of ['linear', 'softmax'] as const) {
            const { model, describe } = unitCaseModel(unit, seed, head);
            try {
              const r = await measureInt8Fidelity(model, scenario, { seed, runtimes });
              const what = `${describe} (seed ${seed}, ${scenario})`;
              if (head === 'linear') expect(r.maxSteps, what).to.be.at.most(1 + slack);
              else {
                expect(r.softmaxHead!.logitSteps, `${what}: logits`).to.be.at.most(1 + slack);
                expect(r.softmaxHead!.softmaxSteps, `${what}: softmax of the file's logits`).to.be.at.most(1 + slack);
              }
            } finally {
              model.dispose();
            }
          }
        }
      });
    }
  }
});
