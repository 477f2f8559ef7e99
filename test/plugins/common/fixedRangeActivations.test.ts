import { expect } from 'chai';
import { FIXED_RANGE_ACTIVATIONS, isFixedRangeActivation } from '../../../plugins/src/common/fixedRangeActivations';

describe('fixedRangeActivations', () => {
  it('lists the activations whose int8 grid is fixed (by TFLite, or by the exporter for hardSigmoid), with those grids', () => {
    expect(Object.keys(FIXED_RANGE_ACTIVATIONS).sort()).to.deep.equal(['hardSigmoid', 'sigmoid', 'softmax', 'tanh']);
    expect(FIXED_RANGE_ACTIVATIONS.sigmoid).to.deep.equal({ scale: 1 / 256, zeroPoint: -128 });
    expect(FIXED_RANGE_ACTIVATIONS.tanh).to.deep.equal({ scale: 1 / 128, zeroPoint: 0 });
    expect(FIXED_RANGE_ACTIVATIONS.hardSigmoid).to.deep.equal({ scale: 1 / 256, zeroPoint: -128 });
  });

  it('does not count relu6, the separate activations or unknown names', () => {
    for (const a of ['relu6', 'swish', 'elu', 'linear', 'toString', null, undefined]) expect(isFixedRangeActivation(a)).to.equal(false);
    expect(isFixedRangeActivation('tanh')).to.equal(true);
    expect(isFixedRangeActivation('hardSigmoid')).to.equal(true);
  });
});
