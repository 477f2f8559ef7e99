/**
 * LiteRT.js in headless Chromium (recipes/src/runner/litert): it runs exported files batched and
 * agrees with tfjs on float files (several inputs) and with TFLite 2.9 on int8 files; a
 * start that fails or times out says why and leaves no Chromium process or profile directory.
 * Skipped, saying why, where LiteRT cannot start.
 */
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { collab, Int8GridInvariant, OptimizationState, PluginOptionsError } from '@collabopt/core';
import { exportTflite } from '../../../plugins/src/export/tflite/exportTflite';
import { observeActivationRanges } from '../../../plugins/src/export/tflite/observeActivationRanges';
import { readTflite } from '../../../plugins/src/export/tflite/read/readTflite';
import { quantize } from '../../../plugins/src/quantization/QuantizePlugin';
import { quantizeWeightsSymmetric } from '../../../plugins/src/quantization/quantizeWeightsSymmetric';
import { LiteRtUnavailableError } from '../../../recipes/src/errors/LiteRtUnavailableError';
import { findChromium, LiteRtBrowser } from '../../../recipes/src/runner/litert/LiteRtBrowser';
import { closeLiteRt } from '../../../recipes/src/runner/litert/sharedLiteRt';
import { runTfliteRows } from '../../../recipes/src/runner/TfliteRuntime';
import { outputStepsOf } from '../../helpers/int8Fidelity';
import { skipWithoutLiteRt } from '../../helpers/liteRt';
import { inputsFor, multiInputFunctional, randomize, sequentialCnn } from '../../plugins/export/tflite/fixtures';

/** Chromium processes that are children of this process, zombies included. */
function chromiumChildren(): string[] {
  return fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).flatMap((pid) => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(ppid) === process.pid && /chrom/i.test(comm) ? [`${pid} ${comm} ${state}`] : [];
    } catch {
      return [];
    }
  });
}

const flatInputs = (xs: tf.Tensor[]) => xs.map((x) => x.dataSync() as Float32Array);

describe('LiteRT runtime: starting Chromium', function () {
  this.timeout(120_000);
  // The process's shared browser (earlier tests) would count as a leftover process and profile.
  beforeEach(() => closeLiteRt());

  it('names the Chromium it looked for when there is none', async () => {
    expect(findChromium('/nonexistent/chromium')).to.deep.equal({ missing: 'Chromium not found at /nonexistent/chromium' });
    const err = await LiteRtBrowser.start({ executablePath: '/nonexistent/chromium' }).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(LiteRtUnavailableError);
    expect((err as LiteRtUnavailableError).reason).to.equal('Chromium not found at /nonexistent/chromium');
  });

  it('a program that is no Chromium fails the start with a clear error and leaves nothing behind', async () => {
    const before = fs.readdirSync('/tmp').filter((d) => d.startsWith('collabopt-litert-'));
    const err = await LiteRtBrowser.start({ executablePath: '/bin/false', timeoutMs: 20_000 }).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(LiteRtUnavailableError);
    expect((err as Error).message).to.match(/^LiteRT \(LiteRT\.js in headless Chromium\) is not available: Chromium \(\/bin\/false\) did not start LiteRT within 20000 ms: /);
    expect(fs.readdirSync('/tmp').filter((d) => d.startsWith('collabopt-litert-'))).to.deep.equal(before);
    expect(chromiumChildren()).to.deep.equal([]);
  });

  it('a start that exceeds its timeout says so and leaves no process or profile directory', async function () {
    if (typeof findChromium() !== 'string') return skipWithoutLiteRt(this);
    const before = fs.readdirSync('/tmp').filter((d) => d.startsWith('collabopt-litert-'));
    const err = await LiteRtBrowser.start({ timeoutMs: 50 }).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(LiteRtUnavailableError);
    expect((err as Error).message).to.match(/did not start LiteRT within 50 ms: .*(Timeout|timed out)/i);
    // Playwright reaps the process it killed asynchronously; give it a moment.
    for (let i = 0; i < 50 && chromiumChildren().length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(chromiumChildren()).to.deep.equal([]);
    expect(fs.readdirSync('/tmp').filter((d) => d.startsWith('collabopt-litert-'))).to.deep.equal(before);
  });

  it('close() ends Chromium and removes its profile directory; a second close() is harmless', async function () {
    await skipWithoutLiteRt(this);
    const browser = await LiteRtBrowser.start();
    expect(fs.existsSync(browser.userDataDir)).to.equal(true);
    expect(chromiumChildren()).to.not.deep.equal([]);
    await browser.close();
    await browser.close();
    expect(browser.usable).to.equal(false);
    expect(fs.existsSync(browser.userDataDir)).to.equal(false);
    for (let i = 0; i < 50 && chromiumChildren().length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(chromiumChildren()).to.deep.equal([]);
    const after = await browser.load(new Uint8Array(8)).then(() => null, (e: unknown) => e);
    expect((after as Error).message).to.equal('the LiteRT browser is closed');
  });
});

describe('LiteRT runtime: running files', function () {
  this.timeout(180_000);
  before(async function () {
    await skipWithoutLiteRt(this);
  });

  it('a float32 file with two inputs gives tfjs predict() on every row of a batch', async () => {
    const model = multiInputFunctional();
    const xs = inputsFor(model, 12);
    try {
      const { bytes } = await exportTflite(model, { mode: 'float32' });
      const r = await runTfliteRows('litert', bytes, flatInputs(xs), 12);
      expect(r.inputs.map((t) => t.name)).to.deep.equal(['vec', 'img']);
      const expected = (model.predict(xs) as tf.Tensor).dataSync();
      expect(r.values[0]!.length).to.equal(expected.length);
      let maxErr = 0;
      r.values[0]!.forEach((v, i) => (maxErr = Math.max(maxErr, Math.abs(v - expected[i]!))));
      expect(maxErr).to.be.below(1e-5);
      expect(r.ms).to.be.greaterThan(0);
    } finally {
      tf.dispose(xs);
      model.dispose();
    }
  });

  it('an int8 file (float I/O) is within one output step of TFLite 2.9 on every row; an int8-I/O file is refused saying why', async () => {
    const model = sequentialCnn();
    const xs = inputsFor(model, 16);
    try {
      const session = collab(model, [quantize({ mode: 'ptq' })], { train: false, onWarning: () => {} });
      await session.calibrate(xs[0]!);
      const { state } = await session.finish();
      try {
        const { bytes } = await exportTflite(model, { mode: 'int8' }, state);
        const step = outputStepsOf(bytes)[0]!;
        const lite = await runTfliteRows('litert', bytes, flatInputs(xs), 16);
        const old = await runTfliteRows('tflite-2.9', bytes, flatInputs(xs), 16);
        expect(lite.values[0]!.length).to.equal(16 * 4);
        let maxSteps = 0;
        lite.values[0]!.forEach((v, i) => (maxSteps = Math.max(maxSteps, Math.abs(v - old.values[0]![i]!) / step)));
        expect(maxSteps).to.be.at.most(1 + 1e-4);
        const io = await exportTflite(model, { mode: 'int8', inputOutputType: 'int8' }, state);
        const err = await runTfliteRows('litert', io.bytes, [new Float32Array(300)], 1).then(() => null, (e: unknown) => e);
        expect((err as Error).message).to.match(/^LiteRT rejected the file: .*INT8 is not supported.*inputOutputType 'float32'/);
      } finally {
        state.dispose();
      }
    } finally {
      tf.dispose(xs);
      model.dispose();
    }
  });

  it('a file LiteRT rejects, and rows that do not fit, fail with errors saying so', async () => {
    const err = await runTfliteRows('litert', new Uint8Array(64), [new Float32Array(1)], 1).then(() => null, (e: unknown) => e);
    expect((err as Error).message).to.match(/^LiteRT rejected the file: /);
    const model = sequentialCnn();
    try {
      const { bytes } = await exportTflite(model, { mode: 'float32' });
      const bad = await runTfliteRows('litert', bytes, [new Float32Array(10)], 2).then(() => null, (e: unknown) => e);
      expect((bad as Error).message).to.equal("LiteRT input 'c1_input' takes 300 values per row, got 10 for 2 rows");
    } finally {
      model.dispose();
    }
  });
});

/**
 * Two Dense layers whose output units differ in magnitude by up to 50x, with kernels on a
 * per-output-unit int8-grid the state claims, and activation ranges observed on `calibration`.
 */
async function perChannelDense(calibration: tf.Tensor): Promise<{ model: tf.LayersModel; state: OptimizationState }> {
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [16], units: 8, activation: 'relu', name: 'pc_d1' }), tf.layers.dense({ units: 4, name: 'pc_d2' })],
  });
  randomize(model, 5);
  const state = new OptimizationState();
  for (const layer of model.layers) {
    const kernel = layer.getWeights()[0]!;
    const units = kernel.shape[1]!;
    const spread = tf.tidy(() => kernel.mul(tf.tensor1d(Array.from({ length: units }, (_, c) => 1 + (49 * c) / (units - 1)))));
    const q = quantizeWeightsSymmetric(spread, { granularity: { kind: 'perAxis', axis: -1 } });
    layer.setWeights([q.values, layer.getWeights()[1]!]);
    state.establish(`${layer.name}/kernel`, Int8GridInvariant, { scales: Float32Array.from(q.scales), channels: units, bits: 8 }, 'test');
    tf.dispose([spread, q.values]);
  }
  await observeActivationRanges(model, calibration, { state });
  return { model, state };
}

describe('per-channel Dense int8 (denseWeights: per-channel)', function () {
  this.timeout(180_000);

  it('is refused outside int8 mode, naming the option', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 })] });
    try {
      const err = await exportTflite(model, { mode: 'float32', denseWeights: 'per-channel' }).then(() => null, (e: unknown) => e);
      expect(err).to.be.instanceOf(PluginOptionsError);
      expect((err as Error).message).to.match(/denseWeights.*'per-tensor' unless mode is 'int8'/s);
    } finally {
      model.dispose();
    }
  });

  it('writes one scale per output unit; LiteRT computes it as the float model does, TFLite 2.9 does not', async function () {
    await skipWithoutLiteRt(this);
    const calibration = tf.tidy(() => tf.randomUniform([64, 16], -1, 1, 'float32', 3));
    const xs = tf.tidy(() => tf.randomUniform([32, 16], -1, 1, 'float32', 4));
    const { model, state } = await perChannelDense(calibration);
    try {
      const refused = await exportTflite(model, { mode: 'int8' }, state).then(() => null, (e: unknown) => e);
      expect((refused as Error).message).to.match(/per-channel int8-grid.*denseWeights: 'per-channel'/s);
      const { bytes } = await exportTflite(model, { mode: 'int8', denseWeights: 'per-channel' }, state);
      const file = readTflite(bytes);
      const fc = file.operators.filter((op) => op.opcode === 'FULLY_CONNECTED').map((op) => file.tensors[op.inputs[1]!]!.quantization!.scales.length);
      expect(fc).to.deep.equal([8, 4]);
      const step = outputStepsOf(bytes)[0]!;
      const expected = (model.predict(xs) as tf.Tensor).dataSync();
      const stepsOff = async (runtime: 'litert' | 'tflite-2.9') => {
        const out = (await runTfliteRows(runtime, bytes, [xs.dataSync() as Float32Array], 32)).values[0]!;
        return out.reduce((m, v, i) => Math.max(m, Math.abs(v - expected[i]!) / step), 0);
      };
      const liteRt = await stepsOff('litert');
      const old = await stepsOff('tflite-2.9');
      console.log(`    [TFLite 2.9 differs] per-channel Dense int8: ${old.toFixed(1)} output steps from the float model in TFLite 2.9, ${liteRt.toFixed(1)} in LiteRT`);
      // Activation rounding alone: a few steps. TFLite 2.9 applies one channel's scale to all.
      expect(liteRt).to.be.at.most(3);
      expect(old).to.be.greaterThan(10 * Math.max(liteRt, 1));
    } finally {
      state.dispose();
      model.dispose();
      tf.dispose([calibration, xs]);
    }
  });
});
