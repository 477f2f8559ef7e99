// The native DepthwiseConv2dNative and its two gradients against tfjs's cpu kernels over a grid of
// batch sizes, odd sizes, channel counts that are not multiples of 8, multipliers 1/2, strides,
// SAME/VALID/explicit pads and (forward) dilations.
import * as tf from '@tensorflow/tfjs';
import { nativeDepthwiseKernels } from '../../../../core/src/backend/native/nativeDepthwiseKernels';
import { describeNative, expectNativeMatchesCpu } from './nativeTestUtils';

type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding;
interface Case { x: [number, number, number, number]; f: [number, number, number, number]; strides: [number, number]; pad: Pad; dilations: [number, number] }

/** The grid; dilation 2 only with stride 1, and only for the forward op (tfjs has no dilated gradients). */
function grid(withDilation: boolean): Case[] {
  const cases: Case[] = [];
  const explicit: tf.backend_util.ExplicitPadding = [[0, 0], [2, 1], [0, 1], [0, 0]];
  for (const batch of [1, 3]) {
    for (const [h, w] of [[7, 9], [10, 6]] as const) {
      for (const [fh, fw, c, m] of [[3, 3, 17, 1], [3, 3, 5, 2], [5, 2, 9, 1], [1, 1, 3, 3]] as const) {
        for (const stride of [1, 2]) {
          for (const pad of ['same', 'valid', explicit] as Pad[]) {
            for (const dilation of withDilation && stride === 1 ? [1, 2] : [1]) {
              if (pad === 'valid' && (h < (fh - 1) * dilation + 1 || w < (fw - 1) * dilation + 1)) continue;
              cases.push({ x: [batch, h, w, c], f: [fh, fw, c, m], strides: [stride, stride], pad, dilations: [dilation, dilation] });
            }
          }
        }
      }
    }
  }
  return cases;
}

const name = (c: Case) => `x[${c.x}] f[${c.f}] s${c.strides[0]} ${Array.isArray(c.pad) ? 'explicit' : c.pad} d${c.dilations[0]}`;
const outShape = (c: Case) => tf.backend_util.computeConv2DInfo(c.x, c.f, c.strides, c.dilations, c.pad, undefined, true).outShape;

describeNative('native depthwise kernels', (addon) => {
  const kernels = nativeDepthwiseKernels(addon);

  it('DepthwiseConv2dNative matches the cpu kernel over the grid', async () => {
    for (const c of grid(true)) {
      await expectNativeMatchesCpu(kernels.get(tf.DepthwiseConv2dNative)!, tf.DepthwiseConv2dNative,
        { x: { shape: c.x, seed: 1 }, filter: { shape: c.f, seed: 2 } },
        { strides: c.strides, pad: c.pad, dilations: c.dilations, dataFormat: 'NHWC' }, `DepthwiseConv2dNative ${name(c)}`);
    }
  });

  it('DepthwiseConv2dNativeBackpropInput matches the cpu kernel over the grid', async () => {
    for (const c of grid(false)) {
      await expectNativeMatchesCpu(kernels.get(tf.DepthwiseConv2dNativeBackpropInput)!, tf.DepthwiseConv2dNativeBackpropInput,
        { dy: { shape: outShape(c), seed: 3 }, filter: { shape: c.f, seed: 4 } },
        { strides: c.strides, pad: c.pad, dilations: c.dilations, inputShape: c.x }, `DepthwiseConv2dNativeBackpropInput ${name(c)}`);
    }
  });

  it('DepthwiseConv2dNativeBackpropFilter matches the cpu kernel over the grid', async () => {
    for (const c of grid(false)) {
      await expectNativeMatchesCpu(kernels.get(tf.DepthwiseConv2dNativeBackpropFilter)!, tf.DepthwiseConv2dNativeBackpropFilter,
        { x: { shape: c.x, seed: 5 }, dy: { shape: outShape(c), seed: 6 } },
        { strides: c.strides, pad: c.pad, dilations: c.dilations, filterShape: c.f }, `DepthwiseConv2dNativeBackpropFilter ${name(c)}`);
    }
  });
});
