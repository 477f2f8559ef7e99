// Gradient equality of collabopt's training kernels against the stock cpu kernels, over a grid of
// strides, paddings, kernel sizes, odd/even input sizes, channel multipliers and batch sizes.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { stockKernel } from '../../../core/src/backend/registerTrainingKernels';
import { conv2DBackpropFilterKernel } from '../../../core/src/backend/conv2DBackpropFilterKernel';
import { conv2DBackpropInputKernel } from '../../../core/src/backend/conv2DBackpropInputKernel';
import { expectClose, seeded, withStockCpuKernels, withTrainingKernelsOnWasm, KERNEL_VARIANTS, skipWithoutNative } from './backendTestUtils';

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
type Shape4 = [number, number, number, number];

interface ConvCase {
  label: string;
  xShape: Shape4; // NHWC, or NCHW when dataFormat is 'NCHW'
  filterShape: Shape4; // [fh, fw, inChannels, outChannels or multiplier]
  strides: number | [number, number];
  pad: Pad;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dataFormat?: 'NHWC' | 'NCHW';
}

interface Input { values: Float32Array; shape: number[] }

/** Runs one kernel on `backendName` and returns its output values. */
async function run(
  backendName: string,
  kernelName: string,
  kernel: tf.KernelFunc | 'registry',
  inputs: Record<string, Input>,
  attrs: object,
): Promise<Float32Array> {
  await tf.setBackend(backendName);
  const tensors: Record<string, tf.Tensor> = {};
  for (const [name, input] of Object.entries(inputs)) tensors[name] = tf.tensor(input.values, input.shape);
  try {
    const out =
      kernel === 'registry'
        ? (tf.engine().runKernel(kernelName, tensors, attrs as tf.NamedAttrMap) as tf.Tensor)
        : tf.engine().makeTensorFromTensorInfo(
            kernel({ inputs: tensors, backend: tf.backend(), attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo,
          );
    const values = out.dataSync() as Float32Array;
    out.dispose();
    return values;
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

function stock(kernelName: string): tf.KernelFunc {
  const config = stockKernel(kernelName, 'cpu');
  if (config == null) throw new Error(`no stock cpu ${kernelName}`);
  return config.kernelFunc;
}

function convInfo(c: ConvCase, depthwise: boolean): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    c.xShape, c.filterShape, c.strides, 1, c.pad, c.dimRoundingMode, depthwise,
    c.dataFormat === 'NCHW' ? 'channelsFirst' : 'channelsLast');
}

function dyShape(c: ConvCase, info: tf.backend_util.Conv2DInfo): number[] {
  return c.dataFormat === 'NCHW'
    ? [info.batchSize, info.outChannels, info.outHeight, info.outWidth]
    : [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
}

/** Checks filter and input gradients of a regular conv on wasm (and the cpu filter gradient). */
async function checkConv(c: ConvCase, seed: number): Promise<void> {
  const info = convInfo(c, false);
  const x: Input = { values: seeded(tf.util.sizeFromShape(c.xShape), seed), shape: c.xShape };
  const dyS = dyShape(c, info);
  const dy: Input = { values: seeded(tf.util.sizeFromShape(dyS), seed + 1), shape: dyS };
  const filter: Input = { values: seeded(tf.util.sizeFromShape(c.filterShape), seed + 2), shape: c.filterShape };
  const base = { strides: c.strides, pad: c.pad, dataFormat: c.dataFormat ?? 'NHWC', ...(c.dimRoundingMode ? { dimRoundingMode: c.dimRoundingMode } : {}) };
  const filterAttrs = { ...base, filterShape: c.filterShape };
  const inputAttrs = { ...base, inputShape: c.xShape };

  const refFilter = await run('cpu', tf.Conv2DBackpropFilter, stock(tf.Conv2DBackpropFilter), { x, dy }, filterAttrs);
  const refInput = await run('cpu', tf.Conv2DBackpropInput, stock(tf.Conv2DBackpropInput), { dy, filter }, inputAttrs);

  const wasmFilter = await run('wasm', tf.Conv2DBackpropFilter, 'registry', { x, dy }, filterAttrs);
  expectClose(wasmFilter, refFilter, `wasm Conv2DBackpropFilter ${c.label}`);
  // Without a stock kernel the factory always takes the composed path, whatever the size.
  const cpuFilter = await run('cpu', tf.Conv2DBackpropFilter, conv2DBackpropFilterKernel({ backendName: 'cpu' }).kernelFunc, { x, dy }, filterAttrs);
  expectClose(cpuFilter, refFilter, `cpu Conv2DBackpropFilter ${c.label}`);
  const wasmInput = await run('wasm', tf.Conv2DBackpropInput, conv2DBackpropInputKernel({ backendName: 'wasm' }).kernelFunc, { dy, filter }, inputAttrs);
  expectClose(wasmInput, refInput, `wasm Conv2DBackpropInput ${c.label}`);
}

/** Checks both depthwise gradients on wasm. */
async function checkDepthwise(c: ConvCase, seed: number): Promise<void> {
  const info = convInfo(c, true);
  const x: Input = { values: seeded(tf.util.sizeFromShape(c.xShape), seed), shape: c.xShape };
  const dyS = dyShape(c, info);
  const dy: Input = { values: seeded(tf.util.sizeFromShape(dyS), seed + 1), shape: dyS };
  const filter: Input = { values: seeded(tf.util.sizeFromShape(c.filterShape), seed + 2), shape: c.filterShape };
  const base = { strides: c.strides, pad: c.pad, dilations: 1, ...(c.dimRoundingMode ? { dimRoundingMode: c.dimRoundingMode } : {}) };
  const filterAttrs = { ...base, filterShape: c.filterShape };
  const inputAttrs = { ...base, inputShape: c.xShape };

  const refFilter = await run('cpu', tf.DepthwiseConv2dNativeBackpropFilter, stock(tf.DepthwiseConv2dNativeBackpropFilter), { x, dy }, filterAttrs);
  const refInput = await run('cpu', tf.DepthwiseConv2dNativeBackpropInput, stock(tf.DepthwiseConv2dNativeBackpropInput), { dy, filter }, inputAttrs);
  const wasmFilter = await run('wasm', tf.DepthwiseConv2dNativeBackpropFilter, 'registry', { x, dy }, filterAttrs);
  expectClose(wasmFilter, refFilter, `wasm DepthwiseConv2dNativeBackpropFilter ${c.label}`);
  const wasmInput = await run('wasm', tf.DepthwiseConv2dNativeBackpropInput, 'registry', { dy, filter }, inputAttrs);
  expectClose(wasmInput, refInput, `wasm DepthwiseConv2dNativeBackpropInput ${c.label}`);
}

// The issue's grid, as a full cartesian product (small spatial sizes keep it to seconds).
const STRIDES = [1, 2, 3];
const PADS: Pad[] = ['same', 'valid'];
const KERNELS = [1, 3, 5];
const SIZES: [number, number][] = [[7, 6], [8, 9]]; // odd and even, in both axes, non-square
const BATCHES = [1, 8];
const MULTIPLIERS = [1, 2, 3];
const IN_CHANNELS = 3;
const OUT_CHANNELS = 4;

function grid(depthwise: boolean): ConvCase[] {
  const cases: ConvCase[] = [];
  for (const s of STRIDES) for (const pad of PADS) for (const k of KERNELS) for (const [h, w] of SIZES) for (const n of BATCHES) {
    for (const m of depthwise ? MULTIPLIERS : [OUT_CHANNELS]) {
      cases.push({
        label: `stride ${s} pad ${String(pad)} kernel ${k} input ${h}x${w} batch ${n}${depthwise ? ` multiplier ${m}` : ''}`,
        xShape: [n, h, w, IN_CHANNELS],
        filterShape: [k, k, IN_CHANNELS, m],
        strides: s,
        pad,
      });
    }
  }
  return cases;
}

/** Paddings, rounding modes, non-square strides/kernels and sizes the grid does not reach. */
const EXTRA: ConvCase[] = [
  { label: 'explicit pads [[2,0],[1,3]]', xShape: [2, 7, 8, 3], filterShape: [3, 3, 3, 2], strides: 2, pad: [[0, 0], [2, 0], [1, 3], [0, 0]] },
  { label: 'explicit pads larger than the filter', xShape: [2, 6, 5, 3], filterShape: [2, 2, 3, 2], strides: 1, pad: [[0, 0], [3, 1], [0, 4], [0, 0]] },
  { label: 'numeric pad 1, rounding ceil', xShape: [2, 8, 7, 3], filterShape: [3, 3, 3, 2], strides: 2, pad: 1, dimRoundingMode: 'ceil' },
  { label: 'numeric pad 2, rounding floor', xShape: [1, 9, 8, 3], filterShape: [5, 5, 3, 2], strides: 3, pad: 2, dimRoundingMode: 'floor' },
  { label: 'strides [1,2], kernel 3x1', xShape: [3, 7, 8, 3], filterShape: [3, 1, 3, 2], strides: [1, 2], pad: 'same' },
  { label: 'strides [3,1], kernel 1x5, valid', xShape: [2, 9, 8, 3], filterShape: [1, 5, 3, 2], strides: [3, 1], pad: 'valid' },
  { label: 'kernel larger than stride window, input 1x1', xShape: [4, 1, 1, 3], filterShape: [3, 3, 3, 2], strides: 2, pad: 'same' },
  { label: 'mnist-like 20x20x4, batch 8', xShape: [8, 20, 20, 4], filterShape: [3, 3, 4, 3], strides: 1, pad: 'valid' },
];

for (const { native, suffix } of KERNEL_VARIANTS) {
describe(`training kernels: gradient equality with the stock cpu kernels${suffix}`, function () {
  if (skipWithoutNative(native)) return;
  this.timeout(300_000);
  withTrainingKernelsOnWasm({ nativeKernels: native });

  it('Conv2DBackpropFilter (wasm, cpu) and Conv2DBackpropInput (wasm) over the grid', async () => {
    const cases = grid(false);
    expect(cases).to.have.length(72);
    let seed = 1;
    for (const c of cases) await checkConv(c, (seed += 3));
  });

  it('DepthwiseConv2dNativeBackpropFilter and ...BackpropInput (wasm) over the grid', async () => {
    const cases = grid(true);
    expect(cases).to.have.length(216);
    let seed = 5000;
    for (const c of cases) await checkDepthwise(c, (seed += 3));
  });

  it('explicit and numeric padding, rounding modes, non-square strides and kernels', async () => {
    let seed = 9000;
    for (const c of EXTRA) {
      await checkConv(c, (seed += 3));
      const [fh, fw, ci] = c.filterShape;
      await checkDepthwise({ ...c, filterShape: [fh, fw, ci, 2] }, (seed += 3));
    }
  });

  it('NCHW regular convolutions', async () => {
    const cases: ConvCase[] = [
      { label: 'NCHW same s1 k3', xShape: [2, 3, 7, 6], filterShape: [3, 3, 3, 4], strides: 1, pad: 'same', dataFormat: 'NCHW' },
      { label: 'NCHW valid s2 k5', xShape: [8, 3, 9, 8], filterShape: [5, 5, 3, 2], strides: 2, pad: 'valid', dataFormat: 'NCHW' },
      { label: 'NCHW explicit s3 k1', xShape: [1, 3, 8, 7], filterShape: [1, 1, 3, 2], strides: 3, pad: [[0, 0], [0, 0], [1, 2], [2, 0]], dataFormat: 'NCHW' },
    ];
    let seed = 12000;
    for (const c of cases) await checkConv(c, (seed += 3));
  });

  it('tf.grads of conv2d, depthwiseConv2d and separableConv2d on wasm match stock cpu end to end', async () => {
    const x = seeded(2 * 9 * 8 * 3, 1);
    const w = seeded(3 * 3 * 3 * 4, 2);
    const dw = seeded(3 * 3 * 3 * 2, 3);
    const pw = seeded(1 * 1 * 6 * 5, 4);
    const r = (n: number, s: number) => seeded(n, s);
    type G = (xt: tf.Tensor4D, a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor;
    const losses: [string, G, number[], number[]][] = [
      ['conv2d', (xt, a) => tf.conv2d(xt, a, 2, 'same'), [3, 3, 3, 4], [1, 1, 6, 5]],
      ['depthwiseConv2d', (xt, a) => tf.depthwiseConv2d(xt, a, [2, 1], 'valid'), [3, 3, 3, 2], [1, 1, 6, 5]],
      ['separableConv2d', (xt, a, b) => tf.separableConv2d(xt, a, b, 1, 'same'), [3, 3, 3, 2], [1, 1, 6, 5]],
    ];
    for (const [name, op, aShape, bShape] of losses) {
      const grads = async (backendName: string): Promise<Float32Array[]> => {
        await tf.setBackend(backendName);
        return tf.tidy(() => {
          const xt = tf.tensor4d(x, [2, 9, 8, 3]);
          const a = tf.tensor4d(name === 'conv2d' ? w : dw, aShape as Shape4);
          const b = tf.tensor4d(pw, bShape as Shape4);
          // A fixed random cotangent, so dy is not uniform.
          const loss = (xi: tf.Tensor, ai: tf.Tensor): tf.Tensor => {
            const y = op(xi as tf.Tensor4D, ai as tf.Tensor4D, b);
            return tf.sum(tf.mul(y, tf.tensor(r(y.size, 7), y.shape)));
          };
          return tf.grads(loss)([xt, a]).map((g) => g.dataSync() as Float32Array);
        });
      };
      const ours = await grads('wasm');
      const reference = await withStockCpuKernels(() => grads('cpu'));
      expectClose(ours[0]!, reference[0]!, `${name} dx`);
      expectClose(ours[1]!, reference[1]!, `${name} dfilter`);
    }
  });
});
}
