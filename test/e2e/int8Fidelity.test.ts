/**
 * The int8 fidelity contract (DESIGN.md §11) on single blocks: the int8 TFLite file run by a real
 * interpreter is within one output step (max over elements, steps read from the file) of the
 * session's fake-quant model, after PTQ and after QAT.
 *
 * Blocks not listed yet miss the contract and are the open work of the fidelity issue (measured
 * by `npm run bench -- int8-fidelity --single`): separable convolutions (3–4 steps: the tensor
 * between the halves is not fake-quantized in training), average pooling (2: double rounding),
 * residual add under QAT (~4), concatenate under QAT (just over 1), multiply and standalone
 * BatchNormalization (exactly 2 at the dense head: a one-step rounding difference in the block's
 * output, where float fake-quant and TFLite's fixed-point requantization round a near-tie
 * differently, grows through the head's fan-in); and every model whose
 * head is Dense with softmax (3–5 steps: training fake-quantizes only the softmax output, the file
 * also rounds the logits to int8 and runs TFLite's fixed-point softmax).
 */
import { expect } from 'chai';
import { measureInt8Fidelity } from '../helpers/int8Fidelity';
import { randomModel, type RandomModelBlock } from '../helpers/randomModels';

const WITHIN_ONE_STEP: readonly RandomModelBlock[] = ['conv-bn-relu', 'conv-relu6', 'depthwise-bn-relu', 'maxpool', 'linear', 'zeropad'];

describe('int8 fidelity: the int8 file is within one output step of the fake-quant model (single blocks, TFLite interpreter)', function () {
  this.timeout(120_000);

  for (const block of WITHIN_ONE_STEP) {
    for (const scenario of ['ptq', 'qat'] as const) {
      it(`${block} → dense (linear), after ${scenario.toUpperCase()}`, async () => {
        // Several seeds per block: one lucky model does not make the contract.
        for (const seed of [1, 2, 3]) {
          const { model, describe } = randomModel(100 * seed + WITHIN_ONE_STEP.indexOf(block), { blocks: [block], head: 'linear' });
          try {
            const r = await measureInt8Fidelity(model, scenario, { seed });
            // A difference of exactly one step, divided by the step in float, can read 1.0000001.
            expect(r.maxSteps, `${describe} (seed ${seed})`).to.be.at.most(1 + 1e-4);
          } finally {
            model.dispose();
          }
        }
      });
    }
  }
});
