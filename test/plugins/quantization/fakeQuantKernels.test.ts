import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { fakeQuantAsymmetric } from '../../../plugins/src/quantization/fakeQuantAsymmetric';
import { nudgeRange, nudgeRangeTensors } from '../../../plugins/src/quantization/nudgeRange';
import { FAKE_QUANT_AFFINE_GRAD_KERNEL, FAKE_QUANT_AFFINE_KERNEL, FAKE_QUANT_NUDGE_KERNEL } from '../../../core/src/backend/collaboptKernelNames';
import { skipWithoutNative, withTrainingKernelsOnWasm } from '../../core/backend/backendTestUtils';
import { f32, uniform } from './helpers';

// fakeQuantAsymmetric computes the clamp and the gradient's pass band from fast elementwise
// kernels (see its source). These tests hold it, bit for bit, to the direct form of TF's kernel
// written with tf.minimum/maximum/equal — the form it replaced — on the cpu and the wasm backend,
// and on wasm with collabopt's native kernels, where it runs the fused native fake-quant instead.

/** TF's fake-quant in its direct form, on the backend: clamp, round, scale; pass = (clamped == x) or degenerate. */
function directFakeQuant(x: tf.Tensor, min: number | tf.Tensor, max: number | tf.Tensor, options: { numBits?: number; narrowRange?: boolean }): tf.Tensor {
  return tf.tidy(() => {
    const r = nudgeRangeTensors(min, max, options);
    const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const xi = args[0] as tf.Tensor;
      const save = args[1] as tf.GradSaveFunc;
      const clamped = tf.maximum(tf.minimum(xi, r.nudgedMax), r.nudgedMin);
      const value = tf.mul(tf.floor(tf.add(tf.div(clamped, r.scale), 0.5)), r.scale);
      save([tf.logicalOr(tf.equal(clamped, xi), r.degenerate)]);
      return { value, gradFunc: (dy: tf.Tensor, [pass]: tf.Tensor[]) => tf.where(pass, dy, tf.zerosLike(dy)) };
    });
    return op(x);
  });
}

/** Same bits, element by element (−0 ≠ 0, NaN = NaN). */
function expectSameBits(got: Float32Array, want: Float32Array, label: string): void {
  expect(got.length, label).to.equal(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) expect.fail(`${label}: element ${i}: got ${got[i]}, want ${want[i]}`);
  }
}

/** Inputs that probe every branch: the bounds and their neighbouring floats, exact ties, zeros, extremes. */
function probes(min: number, max: number, numBits: number, narrowRange: boolean): Float32Array {
  const out: number[] = [0, -0, 1e-45, -1e-45, 3.4e38, -3.4e38, 1e30, -1e30, Infinity, -Infinity, NaN];
  out.push(...uniform(400, Math.min(-1, 2 * min) - 0.5, Math.max(1, 2 * max) + 0.5, 17));
  if (Number.isFinite(min) && Number.isFinite(max) && min <= max) {
    const r = nudgeRange(min, max, { numBits, narrowRange });
    const step = r.scale || 1;
    for (const b of [r.nudgedMin, r.nudgedMax, min, max]) {
      const bits = new Float32Array([b]);
      const u = new Int32Array(bits.buffer);
      for (let d = -3; d <= 3; d++) {
        const n = new Int32Array([u[0] + d]);
        out.push(new Float32Array(n.buffer)[0]);
      }
    }
    for (let k = -6; k <= 6; k++) out.push(f32((k + 0.5) * step), f32(r.nudgedMin + (k + 0.5) * step), f32(r.nudgedMax - (k + 0.5) * step));
  }
  return Float32Array.from(out);
}

const RANGES: [number, number][] = [
  [-1, 1], [-0.7, 2.3], [0, 6], [-6, 0], [0, 0], [-1e-6, 3e-6], [-0.01, 1000], [-3.2, -0], [-1e-40, 1e-40], [-250, 0.002],
];

function compareOn(backend: () => string, fused = false): void {
  it(`${fused ? 'runs' : 'does not run'} the fused fake-quant kernels`, async () => {
    for (const name of [FAKE_QUANT_AFFINE_KERNEL, FAKE_QUANT_AFFINE_GRAD_KERNEL, FAKE_QUANT_NUDGE_KERNEL]) {
      expect(tf.getKernel(name, tf.getBackend()) != null, name).to.equal(fused);
    }
    const x = tf.tensor1d([0.3, -2, 5]);
    const info = await tf.profile(() => tf.dispose(tf.grad((v: tf.Tensor) => fakeQuantAsymmetric(v, -1, 2))(x)));
    for (const name of [FAKE_QUANT_AFFINE_KERNEL, FAKE_QUANT_AFFINE_GRAD_KERNEL, FAKE_QUANT_NUDGE_KERNEL]) {
      expect(info.kernelNames.includes(name), `${name} ran`).to.equal(fused);
    }
    x.dispose();
  });

  for (const [min, max] of RANGES) {
    for (const [numBits, narrowRange] of [[8, false], [8, true], [4, false], [2, false], [16, false]] as const) {
      it(`matches the direct form bit for bit on [${min}, ${max}], ${numBits} bits${narrowRange ? ' narrow' : ''}`, () => {
        expect(tf.getBackend()).to.equal(backend());
        const xs = probes(min, max, numBits, narrowRange);
        const dy = Float32Array.from(xs, (_, i) => (i % 7 === 3 ? Infinity : f32(0.25 + i / 64)));
        for (const asTensors of [false, true]) {
          tf.tidy(() => {
            const lo = asTensors ? tf.scalar(min) : min;
            const hi = asTensors ? tf.scalar(max) : max;
            const x = tf.tensor1d(xs);
            const opts = { numBits, narrowRange };
            const label = `[${min}, ${max}] ${numBits}b${narrowRange ? 'n' : ''}${asTensors ? ' (tensors)' : ''}`;
            expectSameBits(fakeQuantAsymmetric(x, lo, hi, opts).dataSync() as Float32Array, directFakeQuant(x, lo, hi, opts).dataSync() as Float32Array, `${label} forward`);
            const g = tf.grad((v: tf.Tensor) => fakeQuantAsymmetric(v, lo, hi, opts))(x, tf.tensor1d(dy)).dataSync() as Float32Array;
            const want = tf.grad((v: tf.Tensor) => directFakeQuant(v, lo, hi, opts))(x, tf.tensor1d(dy)).dataSync() as Float32Array;
            // The one documented difference: a NaN input under a degenerate range on the cpu
            // backend gets no gradient (the direct form passes it, as for every input there).
            if (backend() === 'cpu' && min === 0 && max === 0) xs.forEach((v, i) => Number.isNaN(v) && (want[i] = 0));
            expectSameBits(g, want, `${label} gradient`);
          });
        }
      });
    }
  }

  it('matches the direct form for a NaN range (everything NaN)', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([0.5, -0.5, 0, 3]);
      const lo = tf.scalar(NaN);
      expectSameBits(fakeQuantAsymmetric(x, lo, 1).dataSync() as Float32Array, directFakeQuant(x, lo, 1, {}).dataSync() as Float32Array, 'NaN range');
    });
  });
}

describe('quantization: fakeQuantAsymmetric equals the direct TF form (cpu)', () => {
  let previous = '';
  before(async () => {
    previous = tf.getBackend();
    await tf.setBackend('cpu');
  });
  after(async () => {
    await tf.setBackend(previous);
  });
  compareOn(() => 'cpu');
});

describe('quantization: fakeQuantAsymmetric equals the direct TF form (wasm)', () => {
  withTrainingKernelsOnWasm();
  compareOn(() => 'wasm');
});

describe('quantization: fakeQuantAsymmetric equals the direct TF form (wasm, native fused kernels)', () => {
  if (skipWithoutNative(true)) return;
  withTrainingKernelsOnWasm({ nativeKernels: true });
  compareOn(() => 'wasm', true);

  it('matches the direct form on a tensor large enough for the two-thread split', () => {
    const xs = uniform(70000, -3, 3, 5);
    const run = () => tf.tidy(() => {
      const x = tf.tensor1d(xs);
      return [fakeQuantAsymmetric(x, -1, 2).dataSync(), tf.grad((v: tf.Tensor) => fakeQuantAsymmetric(v, -1, 2))(x, tf.onesLike(x)).dataSync()] as Float32Array[];
    });
    const [fusedY, fusedG] = run();
    const direct = tf.tidy(() => {
      const x = tf.tensor1d(xs);
      return [directFakeQuant(x, -1, 2, {}).dataSync(), tf.grad((v: tf.Tensor) => directFakeQuant(v, -1, 2, {}))(x, tf.onesLike(x)).dataSync()] as Float32Array[];
    });
    expectSameBits(fusedY!, direct[0]!, 'large forward');
    expectSameBits(fusedG!, direct[1]!, 'large gradient');
  });
});
