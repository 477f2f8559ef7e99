// The fallback path: a missing binary, a binary that does not load and an install-time build
// failure each leave the native kernels unavailable with the reason in selectBackend's report,
// and training still works on the composed wasm kernels. Also the option/env overrides.
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { installNativeKernels } from '../../../../core/src/backend/native/installNativeKernels';
import { getNativeKernelProvider, setNativeKernelProvider } from '../../../../core/src/backend/nativeKernelProvider';
import { selectBackend, NATIVE_ENV_VAR } from '../../../../core/src/backend/selectBackend';
import { BackendError } from '../../../../core/src/backend/BackendError';
import { restoreBackendAfterSuite, seeded } from '../backendTestUtils';

/** Two training steps of a small conv + BN + dense model; returns the losses. */
async function trainTwoSteps(): Promise<number[]> {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.batchNormalization(),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
  const xs = tf.tensor(seeded(6 * 128, 3), [6, 8, 8, 2]);
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), 3).toFloat());
  try {
    const losses: number[] = [];
    for (let i = 0; i < 2; i++) losses.push(await model.trainOnBatch(xs, ys) as number);
    return losses;
  } finally {
    model.dispose();
    tf.dispose([xs, ys]);
  }
}

describe('native kernels: fallback and overrides', function () {
  this.timeout(120_000);
  restoreBackendAfterSuite();
  const original = getNativeKernelProvider();
  let dir = '';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'collabopt-native-'));
  });
  after(() => {
    setNativeKernelProvider(original);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const expectFallback = async (reason: RegExp) => {
    const provider = getNativeKernelProvider();
    expect(provider?.available).to.equal(false);
    const selection = await selectBackend({ backend: 'wasm', log: false, env: {} });
    try {
      expect(selection.nativeKernels?.used).to.equal(false);
      expect(selection.nativeKernels?.detail).to.match(reason);
      expect(selection.summary).to.contain('wasm + training kernels');
      expect(selection.summary).to.match(new RegExp(`native kernels unavailable: ${reason.source}`));
      expect(selection.trainingKernels.some((k) => k.native)).to.equal(false);
      expect(selection.trainingKernels.map((k) => k.kernelName)).to.include(tf.Conv2DBackpropFilter);
      const losses = await trainTwoSteps();
      expect(losses.every(Number.isFinite), `losses ${losses}`).to.equal(true);
    } finally {
      selection.releaseTrainingKernels();
    }
  };

  it('a missing binary: reported, and training runs on the composed kernels', async () => {
    installNativeKernels(path.join(dir, 'missing', 'build', 'Release', 'collabopt_native.node'));
    await expectFallback(/.*collabopt_native\.node is missing \(run 'npm rebuild @collabopt\/core' to build it\)/);
  });

  it('a binary that does not load: reported with the loader error', async () => {
    const bad = path.join(dir, 'bad', 'build', 'Release', 'collabopt_native.node');
    fs.mkdirSync(path.dirname(bad), { recursive: true });
    fs.writeFileSync(bad, 'not a shared object');
    installNativeKernels(bad);
    await expectFallback(/.*collabopt_native\.node failed to load: .+/);
  });

  it('a failed install-time build: the reason build.js recorded is reported', async () => {
    const marker = path.join(dir, 'failed', 'build', 'UNAVAILABLE');
    fs.mkdirSync(path.dirname(marker), { recursive: true });
    fs.writeFileSync(marker, 'build failed: g++: not found\n');
    installNativeKernels(path.join(dir, 'failed', 'build', 'Release', 'collabopt_native.node'));
    await expectFallback(/build failed: g\+\+: not found/);
  });

  it(`requiring them (nativeKernels: true, ${NATIVE_ENV_VAR}=1) while unavailable is an error naming the reason`, async () => {
    installNativeKernels(path.join(dir, 'missing', 'build', 'Release', 'collabopt_native.node'));
    for (const options of [{ nativeKernels: true }, { env: { [NATIVE_ENV_VAR]: '1' } }]) {
      let error: unknown;
      try {
        await selectBackend({ backend: 'wasm', log: false, env: {}, ...options });
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(BackendError);
      expect((error as Error).message).to.match(/requires the native kernels, but they are unavailable: .*is missing/);
    }
  });

  it(`${NATIVE_ENV_VAR}=0 and nativeKernels: false turn them off (the option wins); a bad value is an error`, async function () {
    setNativeKernelProvider(original);
    if (original?.available !== true) {
      console.log(`      skipped: native kernels unavailable: ${original?.available === false ? original.reason : 'no provider'}`);
      this.skip();
    }
    const off = await selectBackend({ backend: 'wasm', log: false, env: { [NATIVE_ENV_VAR]: '0' } });
    off.releaseTrainingKernels();
    expect(off.nativeKernels).to.deep.equal({ used: false, detail: `off (${NATIVE_ENV_VAR}=0)` });
    expect(off.summary).to.contain(`native kernels off (${NATIVE_ENV_VAR}=0)`);
    const on = await selectBackend({ backend: 'wasm', log: false, nativeKernels: 'auto', env: { [NATIVE_ENV_VAR]: '0' } });
    on.releaseTrainingKernels();
    expect(on.nativeKernels?.used).to.equal(true);
    expect(on.summary).to.match(/wasm \+ native kernels \(\d+ threads?, (avx2|scalar)\)/);
    const byOption = await selectBackend({ backend: 'wasm', log: false, nativeKernels: false, env: {} });
    byOption.releaseTrainingKernels();
    expect(byOption.nativeKernels?.detail).to.equal('off (option nativeKernels: false)');
    let error: unknown;
    try {
      await selectBackend({ backend: 'wasm', log: false, env: { [NATIVE_ENV_VAR]: 'maybe' } });
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).to.contain(`${NATIVE_ENV_VAR}='maybe' is not a setting`);
  });
});
