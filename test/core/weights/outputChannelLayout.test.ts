import { expect } from 'chai';
import { outputChannelLayout } from '../../../core/src/weights/outputChannelLayout';

describe('outputChannelLayout', () => {
  it('puts output channels on the last axis of kernels and the last two of depthwise kernels', () => {
    expect(outputChannelLayout('Dense', 'kernel', [6, 4])).to.deep.equal({ axes: [1], channels: 4, depthwise: false });
    expect(outputChannelLayout('Conv2D', 'kernel', [3, 3, 2, 8])).to.deep.equal({ axes: [3], channels: 8, depthwise: false });
    expect(outputChannelLayout('DepthwiseConv2D', 'depthwise_kernel', [3, 3, 4, 2])).to.deep.equal({ axes: [2, 3], channels: 8, depthwise: true });
    expect(outputChannelLayout('SeparableConv2D', 'depthwise_kernel', [3, 3, 4, 1])).to.deep.equal({ axes: [2, 3], channels: 4, depthwise: true });
    expect(outputChannelLayout('SeparableConv2D', 'pointwise_kernel', [1, 1, 4, 5])).to.deep.equal({ axes: [3], channels: 5, depthwise: false });
  });

  it('gives vectors no output channels', () => {
    expect(outputChannelLayout('Dense', 'bias', [4])).to.equal(null);
  });
});
