import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OptimizationState, PluginOptionsError, preActivationRangeKey } from '@collabopt/core';
import { exportTflite } from '../../../../plugins/src/export/tflite/exportTflite';
import { inspectTflite } from '../../../../plugins/src/export/tflite/read/inspectTflite';
import { observeActivationRanges } from '../../../../plugins/src/export/tflite/observeActivationRanges';
import { TfliteExportError } from '../../../../plugins/src/errors/TfliteExportError';
import { writeTflite } from '../../../../plugins/src/export/tflite/writeTflite';
import { expectRunsInTflite } from './compareWithTflite';
import { inputsFor, randomize, sequentialCnn } from './fixtures';

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('TFLite export: errors are clear and lose nothing', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tflite-err-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists every unsupported layer — name, class and why — before anything is written', async () => {
    const input = tf.input({ shape: [6, 4], name: 'seq' });
    const lstm = tf.layers.lstm({ units: 3, returnSequences: true, activation: 'softplus', name: 'lstm' }).apply(input) as tf.SymbolicTensor;
    const elu = tf.layers.thresholdedReLU({ name: 'thresholded' }).apply(lstm) as tf.SymbolicTensor;
    const selu = tf.layers.dense({ units: 2, activation: 'selu', name: 'selu_dense' }).apply(elu) as tf.SymbolicTensor;
    const relu8 = tf.layers.reLU({ maxValue: 8, name: 'relu8' }).apply(selu) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: relu8, name: 'bad' });
    const path = join(dir, 'bad.tflite');
    const err = await rejection(writeTflite(model, path, { mode: 'float32' }));
    expect(err).to.be.instanceOf(TfliteExportError);
    const e = err as TfliteExportError;
    expect(e.reason).to.equal('unsupported-layer');
    expect(e.unsupported.map((u) => [u.layer, u.className])).to.deep.equal([
      ['lstm', 'LSTM'],
      ['thresholded', 'ThresholdedReLU'],
      ['selu_dense', 'Dense'],
      ['relu8', 'ReLU'],
    ]);
    expect(e.message).to.include(`'lstm' (LSTM): activation 'softplus'; supported in recurrent layers`);
    expect(e.message).to.include(`'thresholded' (ThresholdedReLU): no TFLite lowering for layer class ThresholdedReLU`);
    expect(e.message).to.include(`'selu_dense' (Dense): activation 'selu'; supported activations: linear, relu, relu6, sigmoid, tanh, softmax, hardSigmoid, elu, gelu, gelu_new, swish`);
    expect(e.message).to.include(`'relu8' (ReLU): maxValue 8; TFLite has RELU and RELU6 only`);
    expect(existsSync(path)).to.equal(false);
    expect(readdirSync(dir)).to.deep.equal([]);
    model.dispose();
  });

  it('checks the layers inside nested models (inlined), and refuses channels-first layers with the reason', async () => {
    const inner = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [2, 5, 5], filters: 2, kernelSize: 3, dataFormat: 'channelsFirst', name: 'inner_cf' })], name: 'inner' });
    const input = tf.input({ shape: [2, 5, 5] });
    const model = tf.model({ inputs: input, outputs: inner.apply(input) as tf.SymbolicTensor });
    const err = (await rejection(exportTflite(model))) as TfliteExportError;
    expect(err.unsupported).to.have.length(1);
    expect(err.unsupported[0]).to.include({ layer: 'inner_cf', className: 'Conv2D' });
    expect(err.unsupported[0].reason).to.match(/channelsFirst.*NHWC/);
    const cf = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [2, 5, 5], filters: 2, kernelSize: 3, dataFormat: 'channelsFirst', name: 'cf' })] });
    const err2 = (await rejection(exportTflite(cf))) as TfliteExportError;
    expect(err2.unsupported[0]).to.include({ layer: 'cf', className: 'Conv2D' });
    expect(err2.unsupported[0].reason).to.match(/channelsFirst.*NHWC/);
    model.dispose();
    cf.dispose();
  });

  it('rejects bad options with the option, what was expected and what was given', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 })] });
    const cases: [unknown, RegExp][] = [
      [{ mode: 'int4' }, /\/mode: expected one of "float32", "float16", "dynamic-range", "int8", received "int4"/],
      [{ mode: 'float16', inputOutputType: 'int8' }, /\/inputOutputType: expected 'float32' unless mode is 'int8'.*mode is 'float16'/],
      [{ batchsize: 2 }, /\/batchsize: expected no option 'batchsize' \(did you mean 'batchSize'\?\)/],
      [{ batchSize: 0 }, /\/batchSize: expected >= 1, received 0/],
      [{ biasOverflow: 'wrap' }, /\/biasOverflow: expected one of "throw", "clamp"/],
    ];
    for (const [options, message] of cases) {
      const err = await rejection(exportTflite(model, options as never));
      expect(err, JSON.stringify(options)).to.be.instanceOf(PluginOptionsError);
      expect(err.message, JSON.stringify(options)).to.match(message);
    }
    model.dispose();
  });

  it('int8 without activation ranges names every missing range and says how to get them; nothing is written', async () => {
    const model = sequentialCnn();
    const path = join(dir, 'model.tflite');
    const err = (await rejection(writeTflite(model, path, { mode: 'int8' }, new OptimizationState()))) as TfliteExportError;
    expect(err.reason).to.equal('missing-activation-range');
    expect(err.message).to.include(`'c1_input': model input 'c1_input'`); // a Sequential's input layer
    expect(err.message).to.include(`'relu1': output of 'relu1' (ReLU)`);
    expect(err.message).to.include(`'${preActivationRangeKey('probs')}': value before the 'softmax' activation of 'probs' (Dense)`);
    expect(err.message).to.match(/observeActivationRanges\(model, samples, \{ state \}\).*quantize plugin/s);
    // Ranges a TFLite op takes from its input are not asked for (pooling, padding).
    expect(err.message).not.to.include(`'pool1'`);
    expect(err.message).not.to.include(`'pad1'`);
    expect(existsSync(path)).to.equal(false);
    model.dispose();
  });

  it('int8 refuses activation ranges that were emulated with fewer than 8 bits', async () => {
    const model = sequentialCnn();
    const state = new OptimizationState();
    await observeActivationRanges(model, inputsFor(model, 4), { state });
    const [key, range] = [...state.activationRanges][0];
    state.activationRanges.set(key, { ...range, bits: 4 });
    const err = await rejection(exportTflite(model, { mode: 'int8' }, state));
    expect(err).to.be.instanceOf(TfliteExportError);
    expect(err.message).to.match(new RegExp(`activation range '${key}' was emulated with 4 bits.*activationBits: 8`));
    model.dispose();
  });

  it('a failed export leaves an existing file untouched, and a failed write leaves no temp file', async () => {
    const model = sequentialCnn();
    const path = join(dir, 'model.tflite');
    await writeTflite(model, path, { mode: 'float32' });
    await expectRunsInTflite(new Uint8Array(readFileSync(path)));
    const before = readFileSync(path);
    // int8 without ranges fails in memory: the old file stays as it was.
    await rejection(writeTflite(model, path, { mode: 'int8' }));
    expect(readFileSync(path).equals(before)).to.equal(true);
    // The target is a directory: the rename fails and the temp file is removed.
    const blocked = join(dir, 'blocked.tflite');
    mkdirSync(blocked);
    writeFileSync(join(blocked, 'keep'), 'x');
    await rejection(writeTflite(model, blocked, { mode: 'float32' }));
    expect(readdirSync(dir).sort()).to.deep.equal(['blocked.tflite', 'model.tflite']);
    model.dispose();
  });

  it('non-finite weights, float16 overflow and int32 bias overflow are named', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2, name: 'd' })] });
    const kernel = model.getLayer('d').weights[0];
    const set = (values: number[]) => {
      const t = tf.tensor(values, [3, 2]);
      kernel.write(t);
      t.dispose();
    };
    set([1, 2, NaN, 0, 0, 0]);
    expect(((await rejection(exportTflite(model))) as TfliteExportError).message).to.match(/weight 'd\/kernel' element 2 is NaN/);
    set([1, 2, 70000, 0, 0, 0]);
    const half = (await rejection(exportTflite(model, { mode: 'float16' }))) as TfliteExportError;
    expect(half.reason).to.equal('numeric');
    expect(half.message).to.match(/'d\/kernel' element \d is 70000, beyond float16's range/);
    // Tiny weights, large bias: the bias level does not fit int32.
    set([1e-30, -1e-30, 1e-30, 1e-30, 0, 0]);
    const bias = model.getLayer('d').weights[1];
    const b = tf.tensor([1e6, 0]);
    bias.write(b);
    b.dispose();
    const state = new OptimizationState();
    await observeActivationRanges(model, tf.ones([2, 3]), { state });
    const overflow = (await rejection(exportTflite(model, { mode: 'int8' }, state))) as TfliteExportError;
    expect(overflow.reason).to.equal('numeric');
    expect(overflow.message).to.match(/bias 'd\/bias' of 'd' \(Dense\).*outside int32/);
    // TFLite's own behaviour on request.
    const clamped = await exportTflite(model, { mode: 'int8', biasOverflow: 'clamp' }, state);
    await expectRunsInTflite(clamped.bytes);
    model.dispose();
    state.dispose();
  });

  it('inspecting bytes that are not a TFLite model says so', () => {
    const err = (() => {
      try {
        inspectTflite(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
      } catch (e) {
        return e as TfliteExportError;
      }
      return null;
    })();
    expect(err?.reason).to.equal('corrupt-file');
    expect(err?.message).to.match(/file identifier is .*expected "TFL3"/);
    expect(() => inspectTflite(new Uint8Array(3))).to.throw(TfliteExportError, /too short/);
  });

  it('a truncated or damaged TFLite file is reported as corrupt, not misread', async () => {
    const model = sequentialCnn();
    const { bytes } = await exportTflite(model);
    expect(() => inspectTflite(bytes.slice(0, 600))).to.throw(TfliteExportError, /not a readable TFLite file/);
    // Point the root table far outside the file.
    const damaged = bytes.slice();
    new DataView(damaged.buffer).setUint32(0, 0x7ffffff0, true);
    expect(() => inspectTflite(damaged)).to.throw(TfliteExportError, /not a readable TFLite file/);
    model.dispose();
  });

  it('exports without leaking tensors, also when it fails', async () => {
    const model = sequentialCnn();
    randomize(model, 2);
    const state = new OptimizationState();
    const xs = inputsFor(model, 4);
    await observeActivationRanges(model, xs, { state });
    const before = tf.memory().numTensors;
    const int8 = await exportTflite(model, { mode: 'int8' }, state);
    const dynamic = await exportTflite(model, { mode: 'dynamic-range' }, state);
    await rejection(exportTflite(model, { mode: 'int8' }));
    expect(tf.memory().numTensors).to.equal(before);
    await expectRunsInTflite(int8.bytes);
    await expectRunsInTflite(dynamic.bytes);
    tf.dispose(xs);
    state.dispose();
    model.dispose();
  });
});
