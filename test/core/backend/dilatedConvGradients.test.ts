// Gradients of dilated convolutions (tfjs-core refuses them; collabopt's Conv2D and
// DepthwiseConv2dNative gradients compute them), checked element by element against a direct
// float64 reference of the dilated convolution's gradient over a grid of dilations, paddings,
// kernel sizes, odd/even sizes, channel multipliers and batches, on wasm (composed and native
// kernels) and cpu; and the Conv2D / Conv1D / SeparableConv2D layers training with dilation in
// model.fit.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerTrainingKernels } from '../../../core/src/backend/registerTrainingKernels';
import { expectClose, KERNEL_VARIANTS, seeded, skipWithoutNative, withTrainingKernelsOnWasm } from './backendTestUtils';

type Shape4 = [number, number, number, number];

interface DilatedCase {
  label: string;
  xShape: Shape4;
  /** [fh, fw, in, out] (conv) or [fh, fw, in, multiplier] (depthwise). */
  filterShape: Shape4;
  dilations: [number, number];
  pad: 'same' | 'valid';
}

const CASES: DilatedCase[] = [
  { label: '3x3 d2 same', xShape: [2, 7, 6, 3], filterShape: [3, 3, 3, 2], dilations: [2, 2], pad: 'same' },
  { label: '3x3 d2 valid', xShape: [1, 8, 9, 2], filterShape: [3, 3, 2, 3], dilations: [2, 2], pad: 'valid' },
  { label: '2x3 d(1,3) same', xShape: [2, 6, 9, 2], filterShape: [2, 3, 2, 2], dilations: [1, 3], pad: 'same' },
  { label: '3x2 d(3,2) valid', xShape: [1, 10, 7, 1], filterShape: [3, 2, 1, 2], dilations: [3, 2], pad: 'valid' },
  { label: '2x2 d4 same, even sizes', xShape: [1, 8, 8, 2], filterShape: [2, 2, 2, 1], dilations: [4, 4], pad: 'same' },
];

/** Reference gradients (float64 loops over the definition) of sum(y · dy) for the dilated conv. */
function reference(c: DilatedCase, x: Float32Array, w: Float32Array, dy: Float32Array, depthwise: boolean): { dx: Float64Array; dw: Float64Array; outShape: Shape4 } {
  const info = tf.backend_util.computeConv2DInfo(c.xShape, c.filterShape, 1, c.dilations, c.pad, undefined, depthwise);
  const [n, h, wd, ci] = c.xShape;
  const [fh, fw, , co] = c.filterShape;
  const outC = depthwise ? ci * co : co;
  const dx = new Float64Array(x.length);
  const dw = new Float64Array(w.length);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < info.outHeight; oy++) {
      for (let ox = 0; ox < info.outWidth; ox++) {
        for (let i = 0; i < fh; i++) {
          const iy = oy + i * c.dilations[0] - info.padInfo.top;
          if (iy < 0 || iy >= h) continue;
          for (let j = 0; j < fw; j++) {
            const ix = ox + j * c.dilations[1] - info.padInfo.left;
            if (ix < 0 || ix >= wd) continue;
            for (let k = 0; k < ci; k++) {
              const xi = ((b * h + iy) * wd + ix) * ci + k;
              for (let o = 0; o < co; o++) {
                const wi = ((i * fw + j) * ci + k) * co + o;
                const out = depthwise ? k * co + o : o;
                const g = dy[((b * info.outHeight + oy) * info.outWidth + ox) * outC + out]!;
                dx[xi] += g * w[wi]!;
                dw[wi] += g * x[xi]!;
              }
            }
          }
        }
      }
    }
  }
  return { dx, dw, outShape: [n, info.outHeight, info.outWidth, outC] };
}

function checkCase(c: DilatedCase, depthwise: boolean, seed: number): void {
  const xv = seeded(tf.util.sizeFromShape(c.xShape), seed);
  const wv = seeded(tf.util.sizeFromShape(c.filterShape), seed + 1);
  const info = tf.backend_util.computeConv2DInfo(c.xShape, c.filterShape, 1, c.dilations, c.pad, undefined, depthwise);
  const outShape: Shape4 = [c.xShape[0], info.outHeight, info.outWidth, info.outChannels];
  const dyv = seeded(tf.util.sizeFromShape(outShape), seed + 2);
  const ref = reference(c, xv, wv, dyv, depthwise);
  const x = tf.tensor4d(xv, c.xShape);
  const w = tf.tensor4d(wv, c.filterShape);
  const dy = tf.tensor4d(dyv, outShape);
  try {
    const op = (a: tf.Tensor, b: tf.Tensor) =>
      depthwise
        ? tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, c.pad, 'NHWC', c.dilations)
        : tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, c.pad, 'NHWC', c.dilations);
    const [gx, gw] = tf.grads(op)([x, w], dy);
    expectClose(gx!.dataSync(), ref.dx, `${c.label}: dx`);
    expectClose(gw!.dataSync(), ref.dw, `${c.label}: dfilter`);
    tf.dispose([gx!, gw!]);
  } finally {
    tf.dispose([x, w, dy]);
  }
}

describe('dilated convolution gradients', function () {
  this.timeout(60_000);
  for (const { native, suffix } of KERNEL_VARIANTS) {
    describe(`on wasm${suffix}`, () => {
      if (skipWithoutNative(native)) return;
      withTrainingKernelsOnWasm({ nativeKernels: native });
      it('Conv2D: dx and dfilter equal the reference over the grid', () => {
        CASES.forEach((c, i) => checkCase(c, false, 10 * i + 1));
      });
      it('DepthwiseConv2dNative (multipliers 1 and 2): dx and dfilter equal the reference over the grid', () => {
        CASES.forEach((c, i) => checkCase({ ...c, filterShape: [c.filterShape[0], c.filterShape[1], c.filterShape[2], 1 + (i % 2)] }, true, 10 * i + 5));
      });
      it('dilation 1 still takes the stock gradient (strides 2 included)', () => {
        const c: DilatedCase = { label: '3x3 s1 d1', xShape: [1, 6, 6, 2], filterShape: [3, 3, 2, 2], dilations: [1, 1], pad: 'same' };
        checkCase(c, false, 3);
        const x = tf.tensor4d(seeded(2 * 7 * 7 * 2, 9), [2, 7, 7, 2]);
        const w = tf.tensor4d(seeded(3 * 3 * 2 * 2, 8), [3, 3, 2, 2]);
        const g = tf.grad((t: tf.Tensor) => tf.sum(tf.conv2d(t as tf.Tensor4D, w, 2, 'same')))(x);
        expect(g.shape).to.deep.equal([2, 7, 7, 2]);
        tf.dispose([x, w, g]);
      });
      it('strides and dilation above 1 together are still refused (TF does not define them)', () => {
        const x = tf.ones([1, 8, 8, 1]) as tf.Tensor4D;
        const w = tf.ones([3, 3, 1, 1]) as tf.Tensor4D;
        expect(() => tf.conv2d(x, w, 2, 'same', 'NHWC', 2)).to.throw(/Either strides or dilations must be 1/);
        tf.dispose([x, w]);
      });
    });
  }

  describe('on cpu', () => {
    let registration: { unregister(): void } | null = null;
    let previous = '';
    before(async () => {
      previous = tf.getBackend();
      registration = registerTrainingKernels({ nativeKernels: false });
      await tf.setBackend('cpu');
    });
    after(async () => {
      registration?.unregister();
      await tf.setBackend(previous);
    });
    it('Conv2D and DepthwiseConv2dNative equal the reference', () => {
      checkCase(CASES[0]!, false, 21);
      checkCase(CASES[2]!, true, 22);
    });
  });

  describe('the Conv2D layer routing', () => {
    it('is in place only while a registration holds it, and takes no automatic layer name', () => {
      const proto = (() => {
        let p = Object.getPrototypeOf(tf.layers.conv2d({ filters: 1, kernelSize: 1, name: 'routing_probe' })) as object;
        while (!Object.prototype.hasOwnProperty.call(p, 'call')) p = Object.getPrototypeOf(p) as object;
        return p as { call: unknown };
      })();
      const stock = proto.call;
      const before = tf.layers.conv2d({ filters: 1, kernelSize: 1 }).name;
      const first = registerTrainingKernels({ nativeKernels: false });
      const second = registerTrainingKernels({ nativeKernels: false });
      const during = tf.layers.conv2d({ filters: 1, kernelSize: 1 }).name;
      expect(proto.call).to.not.equal(stock);
      first.unregister();
      expect(proto.call, 'still held by the second registration').to.not.equal(stock);
      second.unregister();
      expect(proto.call, 'the original is back').to.equal(stock);
      const [n0, n1] = [before, during].map((name) => Number(/(\d+)$/.exec(name)![1]));
      expect(n1, `${before} then ${during}`).to.equal(n0! + 1);
    });
  });

  describe('layers in model.fit (wasm)', () => {
    withTrainingKernelsOnWasm({ nativeKernels: false });
    for (const activation of ['linear', 'relu'] as const) {
      it(`Conv2D with dilationRate 2 (${activation}): the layer's kernel gradient equals the reference and fit lowers the loss`, async () => {
        const layer = tf.layers.conv2d({ filters: 2, kernelSize: 3, dilationRate: 2, padding: 'same', activation, useBias: true, kernelInitializer: 'glorotUniform' });
        const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [7, 7, 2] }), layer, tf.layers.flatten(), tf.layers.dense({ units: 1 })] });
        model.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });
        const xs = tf.tensor4d(seeded(8 * 7 * 7 * 2, 31), [8, 7, 7, 2]);
        const ys = tf.tensor2d(seeded(8, 32), [8, 1]);
        // The layer alone, linear: its kernel gradient of sum(y · dy) against the reference.
        if (activation === 'linear') {
          const kernel = layer.getWeights()[0]!;
          const dyv = seeded(8 * 7 * 7 * 2, 33);
          const dy = tf.tensor4d(dyv, [8, 7, 7, 2]);
          const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(xs) as tf.Tensor, dy)) as tf.Scalar, [(layer as unknown as { kernel: { val: tf.Variable } }).kernel.val]);
          const ref = reference({ label: 'layer', xShape: [8, 7, 7, 2], filterShape: [3, 3, 2, 2], dilations: [2, 2], pad: 'same' }, xs.dataSync() as Float32Array, kernel.dataSync() as Float32Array, dyv, false);
          expectClose(Object.values(grads)[0]!.dataSync(), ref.dw, 'layer kernel gradient');
          tf.dispose([dy, ...Object.values(grads)]);
        }
        const before = (model.evaluate(xs, ys) as tf.Scalar).dataSync()[0]!;
        await model.fit(xs, ys, { epochs: 5, batchSize: 8, verbose: 0 });
        const after = (model.evaluate(xs, ys) as tf.Scalar).dataSync()[0]!;
        expect(after).to.be.lessThan(before);
        tf.dispose([xs, ys]);
        model.dispose();
      });
    }
    it('Conv1D with dilationRate 3 trains (tf.conv1d is a Conv2D op)', async () => {
      const model = tf.sequential({
        layers: [tf.layers.inputLayer({ inputShape: [16, 2] }), tf.layers.conv1d({ filters: 3, kernelSize: 3, dilationRate: 3, activation: 'relu' }), tf.layers.flatten(), tf.layers.dense({ units: 1 })],
      });
      model.compile({ optimizer: tf.train.sgd(0.05), loss: 'meanSquaredError' });
      const xs = tf.tensor3d(seeded(8 * 16 * 2, 51), [8, 16, 2]);
      const ys = tf.tensor2d(seeded(8, 52), [8, 1]);
      const before = (model.evaluate(xs, ys) as tf.Scalar).dataSync()[0]!;
      await model.fit(xs, ys, { epochs: 5, batchSize: 8, verbose: 0 });
      expect((model.evaluate(xs, ys) as tf.Scalar).dataSync()[0]!).to.be.lessThan(before);
      tf.dispose([xs, ys]);
      model.dispose();
    });
    it('SeparableConv2D with dilationRate 2 trains (its depthwise half is DepthwiseConv2dNative)', async () => {
      const model = tf.sequential({
        layers: [
          tf.layers.inputLayer({ inputShape: [8, 8, 2] }),
          tf.layers.separableConv2d({ filters: 3, kernelSize: 3, dilationRate: 2, padding: 'same' }),
          tf.layers.globalAveragePooling2d({}),
          tf.layers.dense({ units: 1 }),
        ],
      });
      model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
      const xs = tf.tensor4d(seeded(8 * 8 * 8 * 2, 41), [8, 8, 8, 2]);
      const ys = tf.tensor2d(seeded(8, 42), [8, 1]);
      const before = (model.evaluate(xs, ys) as tf.Scalar).dataSync()[0]!;
      await model.fit(xs, ys, { epochs: 5, batchSize: 8, verbose: 0 });
      expect((model.evaluate(xs, ys) as tf.Scalar).dataSync()[0]!).to.be.lessThan(before);
      tf.dispose([xs, ys]);
      model.dispose();
    });
  });
});
