// The native Conv2D, FusedConv2D, Conv2DBackpropInput and Conv2DBackpropFilter against tfjs's cpu
// kernels over a grid of batch sizes, odd sizes, channel counts that are not multiples of 8/16,
// filter sizes, strides, SAME/VALID/explicit pads and dilations; and their fallback.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { nativeConvKernels } from '../../../../core/src/backend/native/nativeConvKernels';
import { describeNative, expectNativeMatchesCpu, type Input } from './nativeTestUtils';

type Pad = 'same' | 'valid' | tf.backend_util.ExplicitPadding;

interface Case { x: [number, number, number, number]; f: [number, number, number, number]; strides: [number, number]; pad: Pad; dilations: [number, number] }

/** The grid: every case is a distinct geometry; dilation 2 only with stride 1 (as tfjs allows). */
function grid(withDilation: boolean): Case[] {
  const cases: Case[] = [];
  const explicit: tf.backend_util.ExplicitPadding = [[0, 0], [1, 2], [2, 0], [0, 0]];
  for (const batch of [1, 3]) {
    for (const [h, w] of [[7, 9], [8, 8]] as const) {
      for (const [fh, fw, ci, co] of [[1, 1, 17, 5], [3, 3, 3, 19], [2, 3, 5, 16], [5, 5, 1, 8]] as const) {
        for (const stride of [1, 2]) {
          for (const pad of ['same', 'valid', explicit] as Pad[]) {
            for (const dilation of withDilation && stride === 1 ? [1, 2] : [1]) {
              if (pad === 'valid' && (h < (fh - 1) * dilation + 1 || w < (fw - 1) * dilation + 1)) continue;
              cases.push({ x: [batch, h, w, ci], f: [fh, fw, ci, co], strides: [stride, stride], pad, dilations: [dilation, dilation] });
            }
          }
        }
      }
    }
  }
  return cases;
}

const name = (c: Case) => `x[${c.x}] f[${c.f}] s${c.strides[0]} ${Array.isArray(c.pad) ? 'explicit' : c.pad} d${c.dilations[0]}`;
const outShape = (c: Case) =>
  tf.backend_util.computeConv2DInfo(c.x, c.f, c.strides, c.dilations, c.pad).outShape;

describeNative('native conv kernels', (addon) => {
  const kernels = nativeConvKernels(addon);

  it('Conv2D matches the cpu kernel over the grid (incl. dilations)', async () => {
    for (const c of grid(true)) {
      await expectNativeMatchesCpu(kernels.get(tf.Conv2D)!, tf.Conv2D,
        { x: { shape: c.x, seed: 1 }, filter: { shape: c.f, seed: 2 } },
        { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: c.dilations }, `Conv2D ${name(c)}`);
    }
  });

  it('FusedConv2D matches the cpu kernel with bias and linear/relu/relu6', async () => {
    const cases = grid(true).filter((_, i) => i % 3 === 0);
    for (const [i, c] of cases.entries()) {
      const activation = ['linear', 'relu', 'relu6'][i % 3]!;
      const bias: Record<string, Input> = i % 2 === 0 ? { bias: { shape: [c.f[3]], seed: 9 } } : {};
      await expectNativeMatchesCpu(kernels.get(tf.FusedConv2D)!, tf.FusedConv2D,
        { x: { shape: c.x, seed: 3 }, filter: { shape: c.f, seed: 4 }, ...bias },
        { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: c.dilations, activation }, `FusedConv2D ${activation} ${name(c)}`);
    }
  });

  it('Conv2DBackpropInput matches the cpu kernel over the grid', async () => {
    for (const c of grid(false)) {
      await expectNativeMatchesCpu(kernels.get(tf.Conv2DBackpropInput)!, tf.Conv2DBackpropInput,
        { dy: { shape: outShape(c), seed: 5 }, filter: { shape: c.f, seed: 6 } },
        { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x }, `Conv2DBackpropInput ${name(c)}`);
    }
  });

  it('Conv2DBackpropFilter matches the cpu kernel over the grid', async () => {
    for (const c of grid(false)) {
      await expectNativeMatchesCpu(kernels.get(tf.Conv2DBackpropFilter)!, tf.Conv2DBackpropFilter,
        { x: { shape: c.x, seed: 7 }, dy: { shape: outShape(c), seed: 8 } },
        { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.f }, `Conv2DBackpropFilter ${name(c)}`);
    }
  });

  // 1×1 stride-1 layers run as one product over N·H·W rows: batch 1 and odd sizes, a product large
  // enough to be split over the threads by rows, and one whose filter gradient (10×7, k = 2040)
  // is split over K; SAME and VALID both (identical geometry), dense-like 1×1 pixels.
  it('1x1 convolutions (one GEMM over the whole batch) match the cpu kernels, all three ops', async () => {
    const cases: [[number, number, number, number], [number, number, number, number]][] = [
      [[1, 5, 7, 3], [1, 1, 3, 9]], [[6, 13, 11, 24], [1, 1, 24, 20]], [[8, 15, 17, 10], [1, 1, 10, 7]],
      [[32, 1, 1, 40], [1, 1, 40, 33]], [[3, 2, 2, 130], [1, 1, 130, 17]],
    ];
    for (const [x, f] of cases) {
      for (const pad of ['same', 'valid'] as const) {
        const c: Case = { x, f, strides: [1, 1], pad, dilations: [1, 1] };
        await expectNativeMatchesCpu(kernels.get(tf.FusedConv2D)!, tf.FusedConv2D,
          { x: { shape: x, seed: 11 }, filter: { shape: f, seed: 12 }, bias: { shape: [f[3]], seed: 13 } },
          { strides: 1, pad, dataFormat: 'NHWC', dilations: 1, activation: 'relu' }, `FusedConv2D relu ${name(c)}`);
        await expectNativeMatchesCpu(kernels.get(tf.Conv2DBackpropInput)!, tf.Conv2DBackpropInput,
          { dy: { shape: outShape(c), seed: 14 }, filter: { shape: f, seed: 15 } },
          { strides: 1, pad, dataFormat: 'NHWC', inputShape: x }, `Conv2DBackpropInput ${name(c)}`);
        await expectNativeMatchesCpu(kernels.get(tf.Conv2DBackpropFilter)!, tf.Conv2DBackpropFilter,
          { x: { shape: x, seed: 16 }, dy: { shape: outShape(c), seed: 17 } },
          { strides: 1, pad, dataFormat: 'NHWC', filterShape: f }, `Conv2DBackpropFilter ${name(c)}`, 5e-5);
      }
    }
  });

  it('hands NCHW, PReLU activations and int32 inputs to the fallback', async () => {
    await tf.setBackend('wasm');
    const seen: string[] = [];
    const fallback = (label: string): tf.KernelConfig => ({
      kernelName: tf.Conv2D, backendName: 'wasm',
      kernelFunc: ({ backend }) => (seen.push(label), (backend as unknown as { makeOutput(s: number[], d: string): tf.TensorInfo }).makeOutput([1], 'float32')),
    });
    const run = (kernelName: string, label: string, inputs: tf.NamedTensorInfoMap, attrs: object) => {
      const out = kernels.get(kernelName)!({ backendName: 'wasm', fallback: fallback(label) })
        .kernelFunc({ inputs, backend: tf.backend(), attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
      tf.backend().disposeData(out.dataId);
    };
    const x = tf.ones([1, 4, 4, 2]);
    const f = tf.ones([3, 3, 2, 2]);
    const xi = tf.ones([1, 4, 4, 2], 'int32');
    run(tf.Conv2D, 'nchw', { x, filter: f }, { strides: 1, pad: 'same', dataFormat: 'NCHW', dilations: 1 });
    run(tf.Conv2D, 'int32', { x: xi, filter: f }, { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1 });
    run(tf.FusedConv2D, 'prelu', { x, filter: f, preluActivationWeights: tf.ones([2]) }, { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1, activation: 'prelu' });
    expect(seen).to.deep.equal(['nchw', 'int32', 'prelu']);
    tf.dispose([x, f, xi]);
  });
});
