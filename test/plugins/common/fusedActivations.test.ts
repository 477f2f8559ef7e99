import { expect } from 'chai';
import { FIXED_RANGE_ACTIVATIONS } from '../../../plugins/src/common/fixedRangeActivations';
import { FUSED_ACTIVATIONS, isFusableActivation } from '../../../plugins/src/common/fusedActivations';
import { SEPARATE_ACTIVATIONS } from '../../../plugins/src/common/separateActivations';
import { TFLITE_ACTIVATIONS } from '../../../plugins/src/export/tflite/lowering/TFLITE_ACTIVATIONS';

describe('fusedActivations', () => {
  it('maps the activations TFLite fuses into the op before them to their TFLite names', () => {
    expect(FUSED_ACTIVATIONS).to.deep.equal({ relu: 'RELU', relu6: 'RELU6' });
    expect(Object.isFrozen(FUSED_ACTIVATIONS)).to.equal(true);
  });

  it('recognises only those names (not linear, the fixed-range ones, or inherited keys)', () => {
    expect(isFusableActivation('relu')).to.equal(true);
    expect(isFusableActivation('relu6')).to.equal(true);
    for (const a of ['linear', 'sigmoid', 'softmax', 'tanh', 'elu', 'toString', null, undefined]) expect(isFusableActivation(a), String(a)).to.equal(false);
  });

  it('with linear, the fixed-range and the separate activations, covers exactly what the TFLite exporter writes', () => {
    const covered = ['linear', ...Object.keys(FUSED_ACTIVATIONS), ...Object.keys(FIXED_RANGE_ACTIVATIONS), ...Object.keys(SEPARATE_ACTIVATIONS)];
    expect(new Set(covered).size).to.equal(covered.length);
    expect([...covered].sort()).to.deep.equal([...TFLITE_ACTIVATIONS].sort());
  });
});
