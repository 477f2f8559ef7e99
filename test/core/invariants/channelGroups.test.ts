import { expect } from 'chai';
import { groupOf, maxDistinctPerGroup } from '../../../core/src/invariants/channelGroups';

describe('channelGroups', () => {
  it('groupOf: channels-last, so flat element i belongs to channel i % channels; null is one group', () => {
    // A [2, 3] Dense kernel: elements 0..5, output channels 0,1,2,0,1,2.
    expect([0, 1, 2, 3, 4, 5].map((i) => groupOf(i, 3))).to.deep.equal([0, 1, 2, 0, 1, 2]);
    expect([0, 7, 100].map((i) => groupOf(i, null))).to.deep.equal([0, 0, 0]);
  });

  it('maxDistinctPerGroup: the largest distinct count and the first group that has it', () => {
    // Channel 0: {1}, channel 1: {2, 5}, channel 2: {3, 4}.
    expect(maxDistinctPerGroup([1, 2, 3, 1, 5, 4], 3)).to.deep.equal({ count: 2, group: 1 });
    expect(maxDistinctPerGroup([1, 2, 3, 1, 5, 4], null)).to.deep.equal({ count: 5, group: 0 });
    expect(maxDistinctPerGroup(new Float32Array([0, 0, 0, 0]), 2)).to.deep.equal({ count: 1, group: 0 });
  });

  it('counts -0 and 0 as one value and NaN as one value (SameValueZero), and an empty tensor as 0', () => {
    expect(maxDistinctPerGroup([0, -0, NaN, NaN], null)).to.deep.equal({ count: 2, group: 0 });
    expect(maxDistinctPerGroup([], 4)).to.deep.equal({ count: 0, group: 0 });
  });
});
