// Registration, stock delegation, argument errors and leak-freedom of collabopt's training kernels.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerTrainingKernels, stockKernel } from '../../../core/src/backend/registerTrainingKernels';
import { isTrainingKernelConfig } from '../../../core/src/backend/TrainingKernelConfig';
import { conv2DBackpropFilterKernel, CPU_COMPOSED_MIN_MULTIPLY_ADDS } from '../../../core/src/backend/conv2DBackpropFilterKernel';
import { conv2DBackpropInputKernel, WASM_COMPOSED_MIN_DY_POSITIONS, WASM_COMPOSED_MIN_MULTIPLY_ADDS } from '../../../core/src/backend/conv2DBackpropInputKernel';
import { BackendError } from '../../../core/src/backend/BackendError';
import { memorySnapshot, restoreBackendAfterSuite, seeded } from './backendTestUtils';

const WASM_GAPS = [tf.Conv2DBackpropFilter, tf.DepthwiseConv2dNativeBackpropFilter, tf.DepthwiseConv2dNativeBackpropInput];

describe('registerTrainingKernels', () => {
  restoreBackendAfterSuite();
  before(async () => {
    // The stock wasm Conv2DBackpropInput is registered on import; make sure wasm initialises.
    expect(await tf.setBackend('wasm')).to.equal(true);
    await tf.setBackend('cpu');
  });

  it('fills the wasm gaps, replaces wasm Conv2DBackpropInput and cpu Conv2DBackpropFilter, and restores on unregister', () => {
    const keys: [string, string][] = [
      ...WASM_GAPS.map((k): [string, string] => [k, 'wasm']),
      [tf.Conv2DBackpropInput, 'wasm'],
      [tf.BatchMatMul, 'wasm'],
      [tf.Conv2DBackpropFilter, 'cpu'],
    ];
    const registryBefore = keys.map(([k, b]) => tf.getKernel(k, b));
    const stockCpuFilter = stockKernel(tf.Conv2DBackpropFilter, 'cpu');
    const stockWasmInput = stockKernel(tf.Conv2DBackpropInput, 'wasm');
    expect(isTrainingKernelConfig(stockCpuFilter)).to.equal(false);
    expect(stockWasmInput, 'the wasm package registers a stock Conv2DBackpropInput').to.not.equal(undefined);

    const registration = registerTrainingKernels({ nativeKernels: false });
    expect(registration.kernels.map((k) => `${k.backendName}/${k.kernelName}/${k.mode}`)).to.have.members([
      ...WASM_GAPS.map((k) => `wasm/${k}/added`),
      `wasm/${tf.Conv2DBackpropInput}/replaced`,
      `wasm/${tf.BatchMatMul}/replaced`,
      `cpu/${tf.Conv2DBackpropFilter}/replaced`,
    ]);
    expect(registration.gradients).to.deep.equal([tf.FusedBatchNorm, tf.Conv2D, tf.DepthwiseConv2dNative]);
    expect(registration.skipped).to.deep.equal([]);
    for (const [k, b] of keys) expect(isTrainingKernelConfig(tf.getKernel(k, b)), `${b}/${k}`).to.equal(true);
    expect(stockKernel(tf.Conv2DBackpropFilter, 'cpu')).to.equal(stockCpuFilter);
    expect(stockKernel(tf.Conv2DBackpropInput, 'wasm')).to.equal(stockWasmInput);
    // The replacement carries the stock kernel's setup, which binds its C++ entry point.
    expect(tf.getKernel(tf.Conv2DBackpropInput, 'wasm')!.setupFunc).to.equal(stockWasmInput!.setupFunc);

    registration.unregister();
    // Back to exactly what was there: the stock kernels, or nothing — unless another holder in
    // this process (a selectBackend call) still holds ours.
    expect(keys.map(([k, b]) => tf.getKernel(k, b))).to.deep.equal(registryBefore);
    if (!isTrainingKernelConfig(registryBefore[registryBefore.length - 1])) {
      expect(tf.getKernel(tf.Conv2DBackpropFilter, 'cpu')).to.equal(stockCpuFilter);
      expect(tf.getKernel(tf.Conv2DBackpropInput, 'wasm')).to.equal(stockWasmInput);
      for (const k of WASM_GAPS) expect(tf.getKernel(k, 'wasm'), k).to.equal(undefined);
    }
    registration.unregister(); // twice is harmless
    expect(keys.map(([k, b]) => tf.getKernel(k, b))).to.deep.equal(registryBefore);
  });

  it('is reference-counted: kernels stay until the last registration is released', () => {
    const heldElsewhere = isTrainingKernelConfig(tf.getKernel(tf.Conv2DBackpropFilter, 'cpu'));
    const first = registerTrainingKernels({ backends: ['cpu'] });
    const second = registerTrainingKernels({ backends: ['cpu'] });
    expect(second.kernels).to.deep.equal(first.kernels);
    first.unregister();
    expect(isTrainingKernelConfig(tf.getKernel(tf.Conv2DBackpropFilter, 'cpu'))).to.equal(true);
    second.unregister();
    expect(isTrainingKernelConfig(tf.getKernel(tf.Conv2DBackpropFilter, 'cpu'))).to.equal(heldElsewhere);
  });

  it('leaves a native kernel alone where it only fills gaps', () => {
    const native: tf.KernelConfig = { kernelName: tf.DepthwiseConv2dNativeBackpropFilter, backendName: 'wasm', kernelFunc: () => { throw new Error('native'); } };
    tf.registerKernel(native);
    try {
      const registration = registerTrainingKernels({ backends: ['wasm'], nativeKernels: false });
      expect(registration.skipped.map((s) => s.kernelName)).to.deep.equal([tf.DepthwiseConv2dNativeBackpropFilter]);
      expect(registration.skipped[0]!.reason).to.match(/has its own/);
      expect(tf.getKernel(tf.DepthwiseConv2dNativeBackpropFilter, 'wasm')).to.equal(native);
      registration.unregister();
      expect(tf.getKernel(tf.DepthwiseConv2dNativeBackpropFilter, 'wasm')).to.equal(native);
    } finally {
      tf.unregisterKernel(tf.DepthwiseConv2dNativeBackpropFilter, 'wasm');
    }
  });

  it('binds the stock wasm kernel it delegates to, also when registered before wasm initialises', async function () {
    this.timeout(60_000);
    // Only a fresh process can register before the wasm backend exists; this one already has it.
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: [1, 4, 4, 2] };
    const script = `
      const tf = require('@tensorflow/tfjs');
      require('@tensorflow/tfjs-backend-wasm');
      const { registerTrainingKernels } = require(${JSON.stringify(path.resolve(__dirname, '../../../core/src/backend/registerTrainingKernels'))});
      registerTrainingKernels({ nativeKernels: false });
      tf.setBackend('wasm').then(() => {
        // 576 multiply-adds: small enough for the replacement to hand it to the stock kernel.
        const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy: tf.ones([1, 4, 4, 2]), filter: tf.ones([3, 3, 2, 2]) }, ${JSON.stringify(attrs)});
        process.stdout.write(JSON.stringify(Array.from(dx.dataSync())));
      });`;
    const child = spawnSync(process.execPath, ['--conditions=source', '-r', 'ts-node/register', '-e', script], {
      cwd: path.resolve(__dirname, '../../..'),
      encoding: 'utf8',
    });
    expect(child.status, child.stderr).to.equal(0);
    await tf.setBackend('cpu');
    const expected = tf.tidy(() => Array.from((tf.engine().runKernel(tf.Conv2DBackpropInput, { dy: tf.ones([1, 4, 4, 2]), filter: tf.ones([3, 3, 2, 2]) }, attrs) as tf.Tensor).dataSync()));
    expect(JSON.parse(child.stdout)).to.deep.equal(expected);
  });

  it('rejects an unknown backend', () => {
    expect(() => registerTrainingKernels({ backends: ['webgl' as 'cpu'] })).to.throw(TypeError, /'webgl'.*'wasm' and 'cpu'/);
  });
});

describe('training kernels: stock delegation, errors and leaks', () => {
  restoreBackendAfterSuite();
  let registration: ReturnType<typeof registerTrainingKernels>;
  before(() => {
    registration = registerTrainingKernels({ nativeKernels: false });
  });
  after(() => registration.unregister());

  /** A stock config that counts its calls and forwards them to the real stock kernel. */
  function countingStock(kernelName: string, backendName: string): { config: tf.KernelConfig; calls: () => number } {
    const real = stockKernel(kernelName, backendName)!;
    let calls = 0;
    return {
      config: { ...real, kernelFunc: (args) => { calls++; return real.kernelFunc(args); } },
      calls: () => calls,
    };
  }

  it('the cpu Conv2DBackpropFilter hands tiny problems to the stock kernel and the rest to the composed path', async () => {
    await tf.setBackend('cpu');
    const spy = countingStock(tf.Conv2DBackpropFilter, 'cpu');
    const kernel = conv2DBackpropFilterKernel({ backendName: 'cpu', stock: spy.config });
    const call = (x: tf.Tensor, dy: tf.Tensor, filterShape: number[]) => {
      const info = kernel.kernelFunc({ inputs: { x, dy }, backend: tf.backend(), attrs: { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape } }) as tf.TensorInfo;
      tf.engine().makeTensorFromTensorInfo(info).dispose();
    };
    tf.tidy(() => call(tf.ones([1, 2, 2, 1]), tf.ones([1, 2, 2, 1]), [1, 1, 1, 1])); // 4 multiply-adds
    expect(spy.calls()).to.equal(1);
    tf.tidy(() => call(tf.ones([2, 6, 6, 3]), tf.ones([2, 4, 4, 4]), [3, 3, 3, 4])); // 3456
    expect(3456).to.be.greaterThan(CPU_COMPOSED_MIN_MULTIPLY_ADDS);
    expect(spy.calls()).to.equal(1);
  });

  it('the wasm Conv2DBackpropInput keeps the stock kernel for tiny problems and few positions', async () => {
    await tf.setBackend('wasm');
    const spy = countingStock(tf.Conv2DBackpropInput, 'wasm');
    const kernel = conv2DBackpropInputKernel({ backendName: 'wasm', stock: spy.config });
    const call = (inputShape: number[], filterShape: number[]) => tf.tidy(() => {
      const [n, h, w] = inputShape as [number, number, number];
      const dy = tf.ones([n, h, w, filterShape[3]!]);
      const info = kernel.kernelFunc({ inputs: { dy, filter: tf.ones(filterShape) }, backend: tf.backend(), attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape } }) as tf.TensorInfo;
      tf.engine().makeTensorFromTensorInfo(info).dispose();
    });
    call([1, 4, 4, 2], [3, 3, 2, 2]); // 576 multiply-adds
    expect(576).to.be.lessThan(WASM_COMPOSED_MIN_MULTIPLY_ADDS);
    expect(spy.calls()).to.equal(1);
    call([8, 1, 1, 256], [1, 1, 256, 256]); // 8 positions, 524288 multiply-adds
    expect(8).to.be.lessThan(WASM_COMPOSED_MIN_DY_POSITIONS);
    expect(spy.calls()).to.equal(2);
    call([8, 16, 16, 16], [3, 3, 16, 16]); // 2048 positions, 4.7M multiply-adds
    expect(spy.calls()).to.equal(2);
  });

  it('rejects dilations, NCHW depthwise and non-float inputs with errors that name the kernel', async () => {
    await tf.setBackend('wasm');
    const x = tf.ones([1, 6, 6, 2]);
    const dy = tf.ones([1, 6, 6, 2]);
    const filter = tf.ones([3, 3, 2, 1]);
    try {
      expect(() => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 2, 2], dilations: [2, 2] }))
        .to.throw(BackendError, /^Conv2DBackpropFilter: collabopt's wasm training kernel: dilations \[2,2\] are not supported/);
      expect(() => tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, { strides: 1, pad: 'same', dilations: 2, filterShape: [3, 3, 2, 1] }))
        .to.throw(BackendError, /DepthwiseConv2dNativeBackpropFilter: .*dilations \[2,2\]/);
      expect(() => tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy, filter }, { strides: 1, pad: 'same', dilations: [1, 3], inputShape: [1, 6, 6, 2] }))
        .to.throw(BackendError, /DepthwiseConv2dNativeBackpropInput: .*dilations \[1,3\]/);
      expect(() => tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropInput, { dy, filter }, { strides: 1, pad: 'same', dilations: 1, dataFormat: 'NCHW', inputShape: [1, 6, 6, 2] }))
        .to.throw(BackendError, /dataFormat 'NCHW' is not supported/);
      const xi = tf.ones([1, 6, 6, 2], 'int32');
      expect(() => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x: xi, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 2, 2] }))
        .to.throw(BackendError, /needs float32 inputs, but 'x' is int32/);
      xi.dispose();
      expect(() => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy: tf.ones([1, 5, 5, 2]) }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 2, 2] }))
        .to.throw(BackendError, /dy has shape \[1,5,5,2\].*produce \[1,6,6,2\]/);
      // A dilated gradient reaches the kernels only undilated: collabopt's DepthwiseConv2dNative
      // gradient spreads the filter out (checked against a reference in dilatedConvGradients.test.ts).
      const g = tf.grad((t: tf.Tensor) => tf.depthwiseConv2d(t as tf.Tensor4D, filter as tf.Tensor4D, 1, 'same', 'NHWC', 2).sum())(x);
      expect(g.shape).to.deep.equal(x.shape);
      g.dispose();
    } finally {
      tf.dispose([x, dy, filter]);
    }
  });

  it('refuses to run for a backend that is not the active one', async () => {
    await tf.setBackend('wasm');
    const wasmBackend = tf.backend();
    await tf.setBackend('cpu');
    const kernel = tf.getKernel(tf.DepthwiseConv2dNativeBackpropFilter, 'wasm')!;
    const x = tf.ones([1, 4, 4, 1]);
    try {
      expect(() => kernel.kernelFunc({ inputs: { x, dy: x }, backend: wasmBackend, attrs: { strides: 1, pad: 'same', dilations: 1, filterShape: [3, 3, 1, 1] } }))
        .to.throw(BackendError, /not the active one \(active: 'cpu'\)/);
    } finally {
      x.dispose();
    }
  });

  for (const backendName of ['wasm', 'cpu'] as const) {
    it(`leaves no tensors or data ids behind on ${backendName}, also when a kernel rejects its arguments`, async () => {
      await tf.setBackend(backendName);
      const x = tf.tensor4d(seeded(4 * 9 * 8 * 3, 1), [4, 9, 8, 3]);
      const dyConv = tf.tensor4d(seeded(4 * 5 * 4 * 5, 2), [4, 5, 4, 5]); // 3x3, stride 2, same, 5 filters
      const filter = tf.tensor4d(seeded(3 * 3 * 3 * 5, 3), [3, 3, 3, 5]);
      const dyDw = tf.tensor4d(seeded(4 * 5 * 4 * 6, 4), [4, 5, 4, 6]); // depthwise multiplier 2
      const dwFilter = tf.tensor4d(seeded(3 * 3 * 3 * 2, 5), [3, 3, 3, 2]);
      const pointwiseDy = tf.tensor4d(seeded(4 * 9 * 8 * 5, 6), [4, 9, 8, 5]);
      const conv = { strides: 2, pad: 'same', dataFormat: 'NHWC' };
      const dw = { strides: 2, pad: 'same', dilations: 1 };
      const calls: [string, tf.NamedTensorMap, object][] = [
        [tf.Conv2DBackpropFilter, { x, dy: dyConv }, { ...conv, filterShape: [3, 3, 3, 5] }],
        [tf.Conv2DBackpropFilter, { x, dy: pointwiseDy }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [1, 1, 3, 5] }],
        [tf.Conv2DBackpropInput, { dy: dyConv, filter }, { ...conv, inputShape: [4, 9, 8, 3] }],
      ];
      if (backendName === 'wasm') {
        calls.push(
          [tf.DepthwiseConv2dNativeBackpropFilter, { x, dy: dyDw }, { ...dw, filterShape: [3, 3, 3, 2] }],
          [tf.DepthwiseConv2dNativeBackpropInput, { dy: dyDw, filter: dwFilter }, { ...dw, inputShape: [4, 9, 8, 3] }],
        );
      }
      try {
        const before = memorySnapshot();
        for (let i = 0; i < 5; i++) {
          for (const [name, inputs, attrs] of calls) {
            (tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor).dispose();
          }
          // A failing call (wrong dy) must not leak either.
          expect(() => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy: pointwiseDy }, { ...conv, filterShape: [3, 3, 3, 5] })).to.throw(BackendError);
        }
        expect(memorySnapshot()).to.deep.equal(before);
      } finally {
        tf.dispose([x, dyConv, filter, dyDw, dwFilter, pointwiseDy]);
      }
    });
  }
});
