import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { FAKE_QUANT_SYMMETRIC_KERNEL } from '../../../core/src/backend/collaboptKernelNames';
import { fakeQuantWeightsSymmetric } from '../../../plugins/src/quantization/fakeQuantWeightsSymmetric';
import { symmetricWeightGrid, type SymmetricWeightGridOptions } from '../../../plugins/src/quantization/symmetricWeightGrid';
import { symmetricWeightLevels } from '../../../plugins/src/quantization/symmetricWeightLevels';
import { symmetricWeightScales } from '../../../plugins/src/quantization/symmetricWeightScales';
import type { WeightGranularity } from '../../../plugins/src/quantization/weightChannelLayout';
import { skipWithoutNative, withTrainingKernelsOnWasm } from '../../core/backend/backendTestUtils';
import { rng } from './helpers';

// The weight fake-quant as collabopt's native kernel (CollaboptFakeQuantSymmetric) against the
// composite of tfjs ops it replaces, bit for bit, on wasm: values and scales over shapes,
// granularities (per tensor, last axis, an inner axis, axis 0, depthwise), bit widths, both tie
// rules, with and without the clamp, on weights built to sit exactly on rounding ties, with
// zeros, −0, all-zero channels and underflowing scales.

/** The composite (what runs where the kernel is not registered). */
function composite(w: tf.Tensor, options: SymmetricWeightGridOptions): { values: tf.Tensor; scales: tf.Tensor } {
  return tf.tidy(() => {
    const scales = symmetricWeightScales(w, options);
    const values = tf.mul(symmetricWeightLevels(w, scales, options.numBits ?? 8, { ties: options.ties ?? 'awayFromZero', clip: options.clip ?? true }), scales);
    return { values, scales };
  });
}

function expectSameBits(got: ArrayLike<number>, want: ArrayLike<number>, label: string): void {
  expect(got.length, label).to.equal(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) expect.fail(`${label}: element ${i}: got ${got[i]}, want ${want[i]}`);
  }
}

/** Channel of flat element i (the kernel's layout), for building per-channel test weights. */
function channelOf(i: number, shape: number[], g: WeightGranularity): number {
  if (g.kind === 'perTensor') return 0;
  if (g.kind === 'depthwise') return i % (shape[2]! * shape[3]!);
  const a = g.axis < 0 ? g.axis + shape.length : g.axis;
  const inner = shape.slice(a + 1).reduce((p, d) => p * d, 1);
  return Math.floor(i / inner) % shape[a]!;
}

/**
 * Weights whose channel c has max|w| = quantMax · 2^−(c mod 5 + 2) (so the scale is exactly a
 * power of two) and otherwise levels and exact half-levels (ties) of that scale, random values,
 * zeros and −0; channel 1 (when there is one) all zero, channel 2 a tiny value whose scale
 * underflows to 0.
 */
function weights(shape: number[], g: WeightGranularity, numBits: number, seed: number): Float32Array {
  const quantMax = 2 ** (numBits - 1) - 1;
  const n = shape.reduce((p, d) => p * d, 1);
  const r = rng(seed);
  const out = new Float32Array(n);
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    const c = channelOf(i, shape, g);
    const scale = 2 ** -((c % 5) + 2);
    const u = r();
    let v: number;
    if (!seen.has(c)) v = (r() < 0.5 ? -1 : 1) * quantMax * scale; // the channel's max, first
    else if (u < 0.3) v = (Math.floor(r() * 2 * quantMax) - quantMax + 0.5) * scale; // an exact tie
    else if (u < 0.45) v = (Math.floor(r() * 2 * quantMax) - quantMax) * scale; // on a level
    else if (u < 0.5) v = r() < 0.5 ? 0 : -0;
    else v = (2 * r() - 1) * quantMax * scale;
    seen.add(c);
    if (g.kind !== 'perTensor' && c === 1) v = r() < 0.5 ? 0 : -0;
    if (g.kind !== 'perTensor' && c === 2) v = r() < 0.5 ? 1e-45 : -1e-45;
    out[i] = v;
  }
  return out;
}

const CASES: { shape: number[]; granularity: WeightGranularity }[] = [
  { shape: [7], granularity: { kind: 'perTensor' } },
  { shape: [33, 17], granularity: { kind: 'perTensor' } },
  { shape: [300, 301], granularity: { kind: 'perTensor' } }, // > 64K: two threads
  { shape: [3, 3, 5, 7], granularity: { kind: 'perAxis', axis: -1 } },
  { shape: [3, 3, 8, 64], granularity: { kind: 'perAxis', axis: -1 } },
  { shape: [5, 5, 40, 80], granularity: { kind: 'perAxis', axis: 3 } }, // > 64K, two threads
  { shape: [3, 3, 6, 4], granularity: { kind: 'perAxis', axis: 2 } }, // channel axis inside (Conv2DTranspose)
  { shape: [5, 3, 2], granularity: { kind: 'perAxis', axis: 0 } },
  { shape: [3, 3, 6, 1], granularity: { kind: 'depthwise' } },
  { shape: [5, 5, 7, 3], granularity: { kind: 'depthwise' } },
];

describe('symmetricWeightGrid: the native weight fake-quant against the composite, bit for bit (wasm)', function () {
  if (skipWithoutNative(true)) return;
  withTrainingKernelsOnWasm({ nativeKernels: true });

  /** Runs the composite with the native kernel out of the registry. */
  function withoutKernel<T>(f: () => T): T {
    const config = tf.getKernel(FAKE_QUANT_SYMMETRIC_KERNEL, 'wasm')!;
    tf.unregisterKernel(FAKE_QUANT_SYMMETRIC_KERNEL, 'wasm');
    try {
      return f();
    } finally {
      tf.registerKernel(config);
    }
  }

  it('is registered on wasm and is what symmetricWeightGrid runs there', async () => {
    expect(tf.getKernel(FAKE_QUANT_SYMMETRIC_KERNEL, 'wasm')).to.not.equal(undefined);
    const w = tf.tensor([0.5, -1, 0.25, 2], [2, 2]);
    const info = await tf.profile(() => tf.dispose(Object.values(symmetricWeightGrid(w, { granularity: { kind: 'perAxis', axis: -1 } }))));
    expect(info.kernelNames).to.include(FAKE_QUANT_SYMMETRIC_KERNEL);
    expect(info.kernelNames, 'no composite kernels').to.not.include('Max');
    w.dispose();
  });

  for (const { shape, granularity } of CASES) {
    it(`equals the composite: [${shape.join(', ')}] ${granularity.kind}${granularity.kind === 'perAxis' ? ` axis ${granularity.axis}` : ''}, 2/4/8 bits, both tie rules, clip on/off`, () => {
      for (const numBits of [2, 4, 8]) {
        const w = tf.tensor(weights(shape, granularity, numBits, numBits * 31 + shape.length), shape);
        for (const ties of ['even', 'awayFromZero'] as const) {
          for (const clip of [true, false]) {
            const options = { numBits, granularity, ties, clip };
            const label = `${numBits} bits, ties ${ties}, clip ${clip}`;
            const before = tf.memory().numTensors;
            const got = symmetricWeightGrid(w, options);
            expect(tf.memory().numTensors - before, `${label}: two new tensors`).to.equal(2);
            const want = withoutKernel(() => composite(w, options));
            expect(got.scales.shape, label).to.deep.equal(want.scales.shape);
            expectSameBits(got.scales.dataSync(), want.scales.dataSync(), `${label}: scales`);
            expectSameBits(got.values.dataSync(), want.values.dataSync(), `${label}: values`);
            tf.dispose([got.values, got.scales, want.values, want.scales]);
          }
        }
        w.dispose();
      }
    });
  }

  it('keeps non-finite weights visible: a NaN or ∞ weight gives a non-finite scale and output, as the composite', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const values = Float32Array.from([0.5, -0.25, bad, 0.125, 1, -1, 0.3, 0.2]);
      const w = tf.tensor(values, [4, 2]);
      const options = { granularity: { kind: 'perAxis', axis: -1 } as WeightGranularity, ties: 'even' as const, clip: false };
      const got = symmetricWeightGrid(w, options);
      const want = withoutKernel(() => composite(w, options));
      const gs = got.scales.dataSync();
      const ws = want.scales.dataSync();
      expect(Number.isFinite(gs[0]), `${bad}: channel 0`).to.equal(false);
      expect(Number.isFinite(ws[0]), `${bad}: channel 0 (composite)`).to.equal(false);
      expectSameBits([gs[1]!], [ws[1]!], `${bad}: the finite channel`);
      expect(Array.from(got.values.dataSync()).filter((_, i) => i % 2 === 0).every((v) => !Number.isFinite(v)), `${bad}: channel 0 values`).to.equal(true);
      tf.dispose([w, got.values, got.scales, want.values, want.scales]);
    }
  });

  it('fakeQuantWeightsSymmetric runs it with the identity straight-through gradient and leaks nothing', () => {
    const w = tf.tensor(weights([3, 3, 4, 6], { kind: 'perAxis', axis: -1 }, 8, 5), [3, 3, 4, 6]);
    const options = { granularity: { kind: 'perAxis', axis: -1 } as WeightGranularity };
    const dy = tf.reshape(tf.range(0, w.size), w.shape);
    const before = tf.memory().numTensors;
    const { value, grads } = tf.valueAndGrads((x: tf.Tensor) => tf.sum(tf.mul(fakeQuantWeightsSymmetric(x, options), dy)))([w]);
    const want = withoutKernel(() => composite(w, options));
    const fq = fakeQuantWeightsSymmetric(w, options);
    expectSameBits(fq.dataSync(), want.values.dataSync(), 'values');
    expectSameBits(grads[0]!.dataSync(), dy.dataSync(), 'gradient: the identity');
    tf.dispose([value, ...grads, want.values, want.scales, fq]);
    expect(tf.memory().numTensors).to.equal(before);
    tf.dispose([w, dy]);
  });

  it('rejects a bit width outside 2..8 like the composite, and attributes the kernel cannot take with a BackendError', () => {
    const w = tf.ones([4]);
    expect(() => symmetricWeightGrid(w, { numBits: 9 })).to.throw(RangeError, /numBits must be an integer in \[2, 8\]/);
    expect(() => tf.engine().runKernel(FAKE_QUANT_SYMMETRIC_KERNEL, { x: w }, { channels: 3, inner: 1, numBits: 8, ties: 'even', clip: false } as unknown as tf.NamedAttrMap))
      .to.throw(/CollaboptFakeQuantSymmetric: needs x and attributes channels, inner/);
    w.dispose();
  });
});
