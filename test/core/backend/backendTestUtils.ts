// Helpers shared by the training-backend tests (not a test file itself).
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { registerTrainingKernels, stockKernel, type TrainingKernelRegistration } from '../../../core/src/backend/registerTrainingKernels';
import { getNativeKernelProvider } from '../../../core/src/backend/nativeKernelProvider';
// The Node half: backend loaders and the native kernel provider (the addon, where it built).
import '../../../core/src/backend/node';

/**
 * The kernel variants a training-kernel suite runs under: the composed wasm kernels, then the
 * native kernels (which take precedence on wasm when the addon is loaded).
 */
export const KERNEL_VARIANTS: readonly { readonly native: boolean; readonly suffix: string }[] = [
  { native: false, suffix: '' },
  { native: true, suffix: ' (native kernels)' },
];

/**
 * For the native variant where the addon is unavailable: adds one skipped test that prints why,
 * and returns true (the suite body should then return). Call it first inside the describe.
 */
export function skipWithoutNative(native: boolean): boolean {
  const provider = getNativeKernelProvider();
  if (!native || provider?.available === true) return false;
  const reason = provider?.available === false ? provider.reason : 'no native kernel provider installed';
  it(`skipped: native kernels unavailable (${reason})`, function () {
    console.log(`      skipped: native kernels unavailable: ${reason}`);
    this.skip();
  });
  return true;
}

/** Deterministic values in [-1, 1): tests never depend on tfjs's global RNG. */
export function seeded(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = (seed * 2654435761) >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/**
 * Asserts max|actual − expected| ≤ rtol · max|expected|: relative to the gradient's scale, so
 * entries that cancel to ~0 do not turn float32 rounding into a false failure.
 */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string, rtol = 1e-5): void {
  expect(actual.length, `${label}: length`).to.equal(expected.length);
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(scale, `${label}: reference is all zeros, the comparison would prove nothing`).to.be.greaterThan(0);
  expect(worst / scale, `${label}: max abs error ${worst} vs scale ${scale}`).to.be.at.most(rtol);
}

/**
 * Mocha hooks that restore, after the suite, the active backend and the IS_TEST flag as they were
 * before it: other test files run in the same process and expect the state they left.
 */
export function restoreBackendAfterSuite(): void {
  let backend: string | null = null;
  let isTest = false;
  before(() => {
    backend = tf.engine().backendName;
    isTest = tf.env().getBool('IS_TEST');
  });
  after(async () => {
    tf.env().set('IS_TEST', isTest);
    if (backend != null) await tf.setBackend(backend);
  });
}

/**
 * A suite on the wasm backend with collabopt's training kernels registered for its duration (and
 * the previous backend restored after it). Returns a getter for the registration. The composed
 * kernels by default (what these suites were written for); `nativeKernels: true` puts the native
 * ones first where the addon is loaded.
 */
export function withTrainingKernelsOnWasm(options: { nativeKernels?: boolean } = {}): () => TrainingKernelRegistration {
  restoreBackendAfterSuite();
  let registration: TrainingKernelRegistration | null = null;
  before(async () => {
    registration = registerTrainingKernels({ nativeKernels: options.nativeKernels ?? false });
    expect(await tf.setBackend('wasm'), 'wasm backend initialises').to.equal(true);
  });
  after(() => registration?.unregister());
  return () => registration!;
}

/** Tensor and backend data-id counts, the two numbers a leak shows up in. */
export function memorySnapshot(): { tensors: number; dataIds: number } {
  return { tensors: tf.memory().numTensors, dataIds: tf.backend().numDataIds() };
}

/** Runs `f` with the stock cpu kernels in the registry, whatever training kernels are registered. */
export async function withStockCpuKernels<T>(f: () => Promise<T>): Promise<T> {
  const names = [tf.Conv2DBackpropFilter, tf.Conv2DBackpropInput, tf.DepthwiseConv2dNativeBackpropFilter, tf.DepthwiseConv2dNativeBackpropInput];
  const saved = names.map((n) => tf.getKernel(n, 'cpu')!);
  for (const [i, n] of names.entries()) {
    tf.unregisterKernel(n, 'cpu');
    tf.registerKernel(stockKernel(n, 'cpu') ?? saved[i]!);
  }
  try {
    return await f();
  } finally {
    for (const [i, n] of names.entries()) {
      tf.unregisterKernel(n, 'cpu');
      tf.registerKernel(saved[i]!);
    }
  }
}
