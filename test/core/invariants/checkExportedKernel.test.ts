import { expect } from 'chai';
import { checkExportedKernel, registerInvariant, type ExportedKernel, type Invariant } from '@collabopt/core';
import { exportedKernel } from '../../helpers/exportedKernel';

/** Every value is a multiple of `step` (a run-time check only: no checkExported). */
const StepInvariant: Invariant<{ step: number }> = registerInvariant<{ step: number }>({
  name: 'test-step-multiple',
  description: 'values are multiples of step',
  check(value, data) {
    const v = value.dataSync();
    const i = v.findIndex((x) => Math.abs(x / data.step - Math.round(x / data.step)) > 1e-6);
    return i < 0 ? null : `element ${i} = ${v[i]}`;
  },
  encode: (d) => ({ step: d.step }),
  decode: (j) => j as { step: number },
});

function kernel(values: number[], foldedScale: number[] | null): ExportedKernel {
  return exportedKernel(values, { foldedScale, onStateGrid: false });
}

describe('checkExportedKernel: an invariant without checkExported is checked with its run-time check', () => {
  it('runs check on the exported values', () => {
    expect(checkExportedKernel(StepInvariant, kernel([0.5, 1, -1.5, 2], null), { step: 0.5 })).to.deep.equal({ violation: null });
    expect(checkExportedKernel(StepInvariant, kernel([0.5, 1, -1.3, 2], null), { step: 0.5 }).violation).to.equal('element 2 = -1.2999999523162842');
  });

  it('divides a folded per-channel factor back out first (a zero factor leaves its channel as is), and notes it', () => {
    // Channel 0 folded ×3, channel 1 ×0 (all zeros in the file).
    const result = checkExportedKernel(StepInvariant, kernel([1.5, 0, -4.5, 0], [3, 0]), { step: 0.5 });
    expect(result.violation).to.equal(null);
    expect(result.note).to.match(/test-step-multiple checked with BatchNormalization 'bn' divided back out/);
    expect(checkExportedKernel(StepInvariant, kernel([1.5, 0, -4.4, 0], [3, 0]), { step: 0.5 }).violation).to.match(/^element 2/);
  });

  it('uses the invariant\'s own checkExported when it has one', () => {
    const own: Invariant<null> = { ...StepInvariant, name: 'x', checkExported: () => ({ violation: 'own', applies: true }) } as unknown as Invariant<null>;
    expect(checkExportedKernel(own, kernel([1], null), null)).to.deep.equal({ violation: 'own', applies: true });
  });
});
