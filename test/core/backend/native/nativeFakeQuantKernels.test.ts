// The native fake-quant kernels as kernels: their element formulas on hand-picked values (the
// quantize plugin's tests hold them bit for bit to its composite over a wide grid), their errors
// for inputs they cannot take, and their registration as collabopt-own ops.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { FAKE_QUANT_AFFINE_GRAD_KERNEL, FAKE_QUANT_AFFINE_KERNEL, FAKE_QUANT_NUDGE_KERNEL, FAKE_QUANT_SYMMETRIC_KERNEL, RANGE_OBSERVE_KERNEL } from '../../../../core/src/backend/collaboptKernelNames';
import { nudgeRange } from '../../../../plugins/src/quantization/nudgeRange';
import { nativeFakeQuantKernels } from '../../../../core/src/backend/native/nativeFakeQuantKernels';
import { registerTrainingKernels } from '../../../../core/src/backend/registerTrainingKernels';
import { describeNative, runNative } from './nativeTestUtils';

const s = (v: number) => ({ shape: [], seed: 0, values: new Float32Array([v]) });

describeNative('native fake-quant kernels', (addon) => {
  const kernels = nativeFakeQuantKernels(addon);

  it('round to the nearest level (ties up), clamp to the level range and keep NaN', async () => {
    // scale 0.5, levels −4..3: values −2..1.5.
    const x = new Float32Array([0, -0, 0.24, 0.25, -0.25, -0.26, 0.74, 1.5, 1.76, 9, -2, -2.3, Infinity, -Infinity, NaN]);
    const { values, shape } = await runNative(kernels.get(FAKE_QUANT_AFFINE_KERNEL)!, FAKE_QUANT_AFFINE_KERNEL,
      { x: { shape: [3, 5], seed: 0, values: x }, scale: s(0.5), lowLevel: s(-4), highLevel: s(3) }, {});
    expect(shape).to.deep.equal([3, 5]);
    expect(Array.from(values)).to.deep.equal([0, 0, 0, 0.5, 0, -0.5, 0.5, 1.5, 1.5, 1.5, -2, -2, 1.5, -2, NaN]);
    expect(Object.is(values[1], 0), '−0 comes out as +0, as from the composite').to.equal(true);
  });

  it('pass the gradient inside the band only, blocking NaN inputs and infinite gradients outside', async () => {
    const x = new Float32Array([-1, -1.0000001, 1.5, 1.5000001, NaN, 0, Infinity]);
    const dy = new Float32Array([1, 2, 3, 4, 5, Infinity, 7]);
    const { values } = await runNative(kernels.get(FAKE_QUANT_AFFINE_GRAD_KERNEL)!, FAKE_QUANT_AFFINE_GRAD_KERNEL,
      { dy: { shape: [7], seed: 0, values: dy }, x: { shape: [7], seed: 0, values: x }, bandMin: s(-1), bandMax: s(1.5) }, {});
    expect(Array.from(values)).to.deep.equal([1, 0, 3, 0, 0, Infinity, 0]);
    const open = await runNative(kernels.get(FAKE_QUANT_AFFINE_GRAD_KERNEL)!, FAKE_QUANT_AFFINE_GRAD_KERNEL,
      { dy: { shape: [7], seed: 0, values: dy }, x: { shape: [7], seed: 0, values: x }, bandMin: s(-Infinity), bandMax: s(Infinity) }, {});
    expect(Array.from(open.values), 'a degenerate range passes everything (wasm composite: NaN too)').to.deep.equal(Array.from(dy));
  });

  it('nudge a range exactly as nudgeRange (TF), with scale 1, levels 0 and band ±∞ for a degenerate range', async () => {
    const ranges: [number, number][] = [[-1, 1], [-0.7, 2.3], [0, 6], [-6, 0], [0, 0], [-1e-6, 3e-6], [-0.01, 1000], [-1e-40, 1e-40], [-250, 0.002], [0.5, 0.5]];
    for (const [bits, narrow] of [[8, false], [8, true], [4, false], [16, false]] as const) {
      const quantMin = narrow ? 1 : 0;
      const quantMax = 2 ** bits - 1;
      for (const [lo, hi] of ranges) {
        const { values: out, shape } = await runNudge(lo, hi, quantMin, quantMax);
        expect(shape).to.deep.equal([]);
        const r = nudgeRange(lo, hi, { numBits: bits, narrowRange: narrow });
        const want = r.degenerate ? [1, 0, 0, -Infinity, Infinity] : [r.scale, quantMin - r.zeroPoint, quantMax - r.zeroPoint, r.nudgedMin, r.nudgedMax];
        expect(out, `[${lo}, ${hi}] at ${bits} bits${narrow ? ', narrow' : ''}`).to.deep.equal(want.map((v) => Math.fround(v) + 0));
      }
    }
  });

  async function runNudge(lo: number, hi: number, quantMin: number, quantMax: number): Promise<{ values: number[]; shape: number[] }> {
    await tf.setBackend('wasm');
    const config = kernels.get(FAKE_QUANT_NUDGE_KERNEL)!({ backendName: 'wasm' });
    return tf.tidy(() => {
      const infos = config.kernelFunc({ inputs: { min: tf.scalar(lo), max: tf.scalar(hi) }, backend: tf.backend(), attrs: { quantMin, quantMax } }) as tf.TensorInfo[];
      const outs = infos.map((i) => tf.engine().makeTensorFromTensorInfo(i));
      return { values: outs.map((t) => t.dataSync()[0]! + 0), shape: outs[0]!.shape };
    });
  }

  it('throw a BackendError naming the kernel for a non-scalar range or mismatched shapes', async () => {
    const forward = kernels.get(FAKE_QUANT_AFFINE_KERNEL)!({ backendName: 'wasm' });
    const grad = kernels.get(FAKE_QUANT_AFFINE_GRAD_KERNEL)!({ backendName: 'wasm' });
    await tf.setBackend('wasm');
    tf.tidy(() => {
      const x = tf.ones([4]);
      const call = (config: tf.KernelConfig, inputs: tf.NamedTensorInfoMap) => () => config.kernelFunc({ inputs, backend: tf.backend(), attrs: {} });
      expect(call(forward, { x, scale: tf.ones([2]), lowLevel: tf.scalar(0), highLevel: tf.scalar(1) })).to.throw(/CollaboptFakeQuantAffine: collabopt's native wasm kernel cannot take these inputs/);
      expect(call(grad, { dy: tf.ones([5]), x, bandMin: tf.scalar(0), bandMax: tf.scalar(1) })).to.throw(/CollaboptFakeQuantAffineGrad: collabopt's native wasm kernel cannot take these inputs/);
    });
  });

  it('are checked against the heap by the addon', () => {
    const heap = new ArrayBuffer(64);
    expect(() => addon.rangeObserve(heap, 0, 0, 4, 8, 12, 100, 0, 0.1)).to.throw(TypeError, /rangeObserve: tensor argument 1 lies outside the heap/);
    expect(() => addon.rangeObserve(heap, 0, 0, 4, 8, 12, 1, 3, 0.1)).to.throw(TypeError, /rangeObserve: invalid size or mode/);
    expect(() => addon.fakeQuantSymmetric(heap, 0, 16, 32, 4, 3, 1, 127, 1, 0)).to.throw(TypeError, /fakeQuantSymmetric: invalid sizes/);
    expect(() => addon.fakeQuantAffine(heap, 0, 0, 4, 8, 16, 100)).to.throw(TypeError, /fakeQuantAffine: tensor argument 1 lies outside the heap/);
    expect(() => addon.fakeQuantAffineGrad(heap, 0, 0, 4, 8, 16, -1)).to.throw(TypeError, /fakeQuantAffineGrad: invalid size/);
  });

  it('are added by registerTrainingKernels as collabopt-own ops and removed again', () => {
    expect(tf.getKernel(FAKE_QUANT_AFFINE_KERNEL, 'wasm')).to.equal(undefined);
    const registration = registerTrainingKernels({ nativeKernels: true });
    try {
      for (const name of [FAKE_QUANT_AFFINE_KERNEL, FAKE_QUANT_AFFINE_GRAD_KERNEL, FAKE_QUANT_NUDGE_KERNEL, FAKE_QUANT_SYMMETRIC_KERNEL, RANGE_OBSERVE_KERNEL]) {
        expect(registration.kernels.find((k) => k.kernelName === name), name).to.deep.include({ backendName: 'wasm', mode: 'added', native: true });
        expect(tf.getKernel(name, 'wasm'), name).to.not.equal(undefined);
      }
    } finally {
      registration.unregister();
    }
    expect(tf.getKernel(FAKE_QUANT_AFFINE_KERNEL, 'wasm')).to.equal(undefined);
    expect(tf.getKernel(FAKE_QUANT_AFFINE_GRAD_KERNEL, 'wasm')).to.equal(undefined);
    expect(tf.getKernel(RANGE_OBSERVE_KERNEL, 'wasm')).to.equal(undefined);
  });
});
