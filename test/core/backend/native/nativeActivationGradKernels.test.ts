// The one-pass Relu, Relu6 and ClipByValue gradients: bit for bit tfjs-core's composite gradient
// on stock wasm, equal to the stock cpu gradient, over a grid of shapes (including the threaded
// size) and the special values; the stock gradient back where the native kernels are not in place.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import '../../../../core/src/backend/node';
import { CLIP_BY_VALUE_GRAD_KERNEL, RELU6_GRAD_KERNEL, RELU_GRAD_KERNEL } from '../../../../core/src/backend/collaboptKernelNames';
import { registerTrainingKernels } from '../../../../core/src/backend/registerTrainingKernels';
import { memorySnapshot, seeded } from '../backendTestUtils';
import { describeNative } from './nativeTestUtils';

const SPECIAL = [0, -0, 1e-30, -1e-30, 6, 6.0000005, 5.9999995, -6, 7, NaN, Infinity, -Infinity, 3, -3];
const OPS: readonly [string, string, (x: tf.Tensor) => tf.Tensor][] = [
  ['relu', RELU_GRAD_KERNEL, (x) => tf.relu(x)],
  ['relu6', RELU6_GRAD_KERNEL, (x) => tf.relu6(x)],
  ['clipByValue(-1.5, 6)', CLIP_BY_VALUE_GRAD_KERNEL, (x) => tf.clipByValue(x, -1.5, 6)],
];
const SHAPES = [[1], [14], [3, 5], [2, 7, 7, 9], [2, 64, 32, 17]];

/** x (special values spread through scaled noise) and dy (noise with some ∞, −0), gradient of f at x. */
async function gradient(f: (x: tf.Tensor) => tf.Tensor, shape: number[], backend: string): Promise<{ values: Float32Array; kernels: string[] }> {
  await tf.setBackend(backend);
  const n = tf.util.sizeFromShape(shape);
  const xv = seeded(n, 5).map((v, i) => (i % 7 === 0 ? SPECIAL[(i / 7) % SPECIAL.length]! : v * 8));
  const dyv = seeded(n, 6).map((v, i) => (i % 11 === 0 ? [Infinity, -0, -Infinity, 0][(i / 11) % 4]! : v));
  const x = tf.tensor(xv, shape);
  const dy = tf.tensor(dyv, shape);
  const info = await tf.profile(() => tf.grad(f)(x, dy));
  const g = info.result as tf.Tensor;
  const values = g.dataSync() as Float32Array;
  tf.dispose([x, dy, g]);
  return { values, kernels: info.kernelNames };
}

describeNative('native activation gradients', () => {
  for (const [label, kernelName, f] of OPS) {
    it(`${label}: equal to the stock wasm composite bit for bit and to cpu, over a grid of shapes`, async function () {
      this.timeout(60_000);
      for (const shape of SHAPES) {
        const stockWasm = await gradient(f, shape, 'wasm');
        const cpu = await gradient(f, shape, 'cpu');
        const registration = registerTrainingKernels({ nativeKernels: true, backends: ['wasm'] });
        try {
          expect(registration.gradients).to.include.members([tf.Relu, tf.Relu6, tf.ClipByValue]);
          await tf.setBackend('wasm');
          const before = memorySnapshot();
          const ours = await gradient(f, shape, 'wasm');
          expect(memorySnapshot(), 'no tensor left behind').to.deep.equal(before);
          expect(ours.kernels, `${label} ${shape}: the native kernel ran`).to.include(kernelName);
          expect(stockWasm.kernels).to.not.include(kernelName);
          const same = ours.values.every((v, i) => Object.is(v, stockWasm.values[i]));
          if (!same) {
            const i = ours.values.findIndex((v, j) => !Object.is(v, stockWasm.values[j]));
            expect.fail(`${label} ${shape}: element ${i} is ${ours.values[i]}, stock wasm gives ${stockWasm.values[i]}`);
          }
          // cpu agrees up to the sign of zero (its kernels differ from wasm's there).
          const off = ours.values.findIndex((v, i) => !(v === cpu.values[i] || (Number.isNaN(v) && Number.isNaN(cpu.values[i]!))));
          expect(off, `${label} ${shape}: element ${off} is ${ours.values[off]}, cpu gives ${cpu.values[off]}`).to.equal(-1);
          if (ours.values.length > 7) expect(ours.values.some((v) => v !== 0 && Number.isFinite(v)), 'the gradient passes something').to.equal(true);
          const cpuNow = await gradient(f, shape, 'cpu');
          expect(cpuNow.kernels, 'on cpu the stock gradient runs').to.not.include(kernelName);
        } finally {
          registration.unregister();
        }
      }
    });
  }

  it('the stock gradients are back after unregister', () => {
    const stock = [tf.Relu, tf.Relu6, tf.ClipByValue].map((k) => tf.getGradient(k));
    const registration = registerTrainingKernels({ nativeKernels: true, backends: ['wasm'] });
    expect([tf.Relu, tf.Relu6, tf.ClipByValue].map((k) => tf.getGradient(k) === stock[[tf.Relu, tf.Relu6, tf.ClipByValue].indexOf(k)])).to.deep.equal([false, false, false]);
    registration.unregister();
    expect([tf.Relu, tf.Relu6, tf.ClipByValue].map((k) => tf.getGradient(k))).to.deep.equal(stock);
    const off = registerTrainingKernels({ nativeKernels: false, backends: ['wasm'] });
    expect(off.gradients, 'composed kernels only: no native gradients').to.not.include(tf.Relu);
    off.unregister();
  });

  it('a kernel called with mismatched shapes throws a BackendError naming it', async () => {
    const registration = registerTrainingKernels({ nativeKernels: true, backends: ['wasm'] });
    try {
      await tf.setBackend('wasm');
      tf.tidy(() => {
        expect(() => tf.engine().runKernel(RELU_GRAD_KERNEL, { dy: tf.ones([3]), x: tf.ones([4]) }, {}))
          .to.throw(/CollaboptReluGrad: collabopt's native wasm kernel cannot take these inputs/);
      });
    } finally {
      registration.unregister();
    }
  });
});
