// Shared helpers of the quantization tests (not a test file itself).
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';

export const f32 = Math.fround;

/** Deterministic pseudo-random numbers (mulberry32), so failures reproduce. */
export { mulberry32 as rng } from '../../helpers/random';
import { mulberry32 as rng } from '../../helpers/random';

/** `n` float32 values uniform in [lo, hi). */
export function uniform(n: number, lo: number, hi: number, seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
}

/** Number of distinct values. */
export function distinct(values: ArrayLike<number>): number {
  return new Set(Array.from(values)).size;
}

/** Values of channel `c` when the channel of flat element i is `i % channels`. */
export function channelValues(values: ArrayLike<number>, channels: number, c: number): number[] {
  const out: number[] = [];
  for (let i = c; i < values.length; i += channels) out.push(values[i]);
  return out;
}

/** Runs `fn` (synchronously) and fails if it leaves tensors behind. */
export function expectNoLeak(fn: () => void): void {
  const before = tf.memory().numTensors;
  fn();
  expect(tf.memory().numTensors, 'tensors left behind').to.equal(before);
}

/**
 * Runs `fn` while every way of reading tensor data back to JS throws, to prove that a per-batch
 * path stays on the backend.
 */
export function withoutReadback<T>(fn: () => T): T {
  const proto = tf.Tensor.prototype as unknown as Record<string, unknown>;
  const names = ['dataSync', 'data', 'arraySync', 'array', 'bufferSync', 'buffer', 'dataToGPU'];
  const engine = tf.engine() as unknown as Record<string, unknown>;
  const engineNames = ['readSync', 'read'];
  const saved = names.map((n) => proto[n]);
  const savedEngine = engineNames.map((n) => engine[n]);
  const forbid = (n: string) => () => {
    throw new Error(`read-back via ${n}() in a path that must stay on the backend`);
  };
  names.forEach((n) => (proto[n] = forbid(n)));
  engineNames.forEach((n) => (engine[n] = forbid(`engine.${n}`)));
  try {
    return fn();
  } finally {
    names.forEach((n, i) => (proto[n] = saved[i]));
    engineNames.forEach((n, i) => (engine[n] = savedEngine[i]));
  }
}

/**
 * Independent reference of TF's current `FakeQuantWithMinMaxVarsFunctor` in float32 arithmetic
 * (`Math.fround` after every operation), written from the kernel source rather than from our
 * implementation.
 */
export function tfFakeQuantReference(x: number, min: number, max: number, numBits: number, narrow: boolean): number {
  const qmin = narrow ? 1 : 0;
  const qmax = 2 ** numBits - 1;
  if (f32(min) === 0 && f32(max) === 0) return 0;
  const scale = f32(f32(f32(max) - f32(min)) / (qmax - qmin));
  const inv = f32((qmax - qmin) / f32(f32(max) - f32(min)));
  const zpf = f32(qmin - f32(f32(min) / scale));
  let zp: number;
  if (zpf < qmin) zp = qmin;
  else if (zpf > qmax) zp = qmax;
  else zp = Math.round(zpf); // zpf >= 0 here, where Math.round (ties up) equals std::round (ties away)
  const nmin = f32((qmin - zp) * scale);
  const nmax = f32((qmax - zp) * scale);
  const quantZero = Math.floor(f32(f32(-nmin * inv) + 0.5));
  const clamped = Math.max(Math.min(f32(x), nmax), nmin);
  const shifted = f32(clamped - nmin);
  return f32(Math.floor(f32(f32(f32(shifted / scale) - quantZero) + 0.5)) * scale);
}
