import { expect } from 'chai';
import { FIXED_RANGE_ACTIVATIONS, isFixedRangeActivation } from '../../../plugins/src/common/fixedRangeActivations';

describe('fixedRangeActivations', () => {
  it('lists the activations whose int8 grid TFLite fixes, with those grids', () => {
    expect(Object.keys(FIXED_RANGE_ACTIVATIONS).sort()).to.deep.equal(['sigmoid', 'softmax', 'tanh']);
    expect(FIXED_RANGE_ACTIVATIONS.sigmoid).to.deep.equal({ scale: 1 / 256, zeroPoint: -128 });
    expect(FIXED_RANGE_ACTIVATIONS.tanh).to.deep.equal({ scale: 1 / 128, zeroPoint: 0 });
  });

  it('does not count hardSigmoid, relu6 or unknown names', () => {
    for (const a of ['hardSigmoid', 'relu6', 'linear', 'toString', null, undefined]) expect(isFixedRangeActivation(a)).to.equal(false);
    expect(isFixedRangeActivation('tanh')).to.equal(true);
  });
});
