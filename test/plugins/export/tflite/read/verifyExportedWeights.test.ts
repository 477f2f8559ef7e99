import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { OptimizationState, registerInvariant, type Invariant } from '@collabopt/core';
import { exportTflite } from '../../../../../plugins/src/export/tflite/exportTflite';
import { TfliteExportError } from '../../../../../plugins/src/errors/TfliteExportError';
import { randomize } from '../fixtures';

/**
 * Invariants defined here, unknown to the exporter: export verification must run them through
 * their own run-time `check` on the values read back from the file, like the built-ins.
 */

/** `|w| <= limit` everywhere. */
const BoundedInvariant: Invariant<{ limit: number }> = registerInvariant<{ limit: number }>({
  name: 'test-bounded',
  description: 'every value lies in [-limit, limit]',
  check(value, data) {
    const max = tf.tidy(() => tf.max(tf.abs(value)).dataSync()[0]);
    return max <= data.limit ? null : `|value| reaches ${max}, above ${data.limit}`;
  },
  encode: (data) => ({ limit: data.limit }),
  decode: (json) => json as { limit: number },
});

/** The weight holds exactly these float32 values (so any lossy storage breaks it). */
const ExactInvariant: Invariant<{ values: Float32Array }> = registerInvariant<{ values: Float32Array }>({
  name: 'test-exact',
  description: 'the weight holds exactly the recorded values',
  check(value, data) {
    const v = value.dataSync();
    const i = v.findIndex((x, k) => x !== data.values[k]);
    return i < 0 ? null : `element ${i} is ${v[i]}, recorded ${data.values[i]}`;
  },
  encode: (data) => Array.from(data.values),
  decode: (json) => ({ values: Float32Array.from(json as number[]) }),
});

function dense(): tf.LayersModel {
  const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [6], units: 4, name: 'fc' })] });
  randomize(m, 5);
  return m;
}

/** Conv → BatchNorm with large gammas: folding multiplies each output channel of the kernel by ~3. */
function convBn(): tf.LayersModel {
  const m = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [5, 5, 2], filters: 3, kernelSize: 3, name: 'conv' }),
      tf.layers.batchNormalization({ name: 'bn' }),
    ],
  });
  randomize(m, 9);
  const gamma = m.getLayer('bn').weights.find((w) => w.originalName.endsWith('gamma'))!;
  const big = tf.tensor([3, -2.5, 4]);
  gamma.write(big);
  big.dispose();
  return m;
}

const maxAbs = (m: tf.LayersModel, name: string) => tf.tidy(() => tf.max(tf.abs(m.getLayer(name).getWeights()[0])).dataSync()[0]);

describe('verifyExportedWeights: custom invariants are verified on the values read back from the file', () => {
  it('a custom invariant that holds in the file is verified and listed', async () => {
    const m = dense();
    const state = new OptimizationState();
    state.establish('fc/kernel', BoundedInvariant, { limit: maxAbs(m, 'fc') }, 'test');
    const { report } = await exportTflite(m, { mode: 'float32' }, state);
    expect(report.weights.find((w) => w.weightId === 'fc/kernel')!.verified).to.deep.equal(['test-bounded']);
    state.dispose();
    m.dispose();
  });

  it('a custom invariant the file breaks fails the export, naming the weight, the invariant and its own message', async () => {
    const m = dense();
    const state = new OptimizationState();
    const values = Float32Array.from(m.getLayer('fc').getWeights()[0].dataSync());
    // Holds on the model (and in a float32 file), not after float16 storage rounds the values.
    expect(ExactInvariant.check(m.getLayer('fc').getWeights()[0], { values })).to.equal(null);
    state.establish('fc/kernel', ExactInvariant, { values }, 'test');
    await exportTflite(m, { mode: 'float32' }, state);
    const err = await exportTflite(m, { mode: 'float16' }, state).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(TfliteExportError);
    expect((err as TfliteExportError).reason).to.equal('invariant');
    expect((err as Error).message).to.match(/weight 'fc\/kernel'.*'test-exact' invariant the session claims: element \d+ is .*, recorded /s);
    state.dispose();
    m.dispose();
  });

  it('a folded BatchNorm is divided back out before a custom check, and a real violation still fails', async () => {
    const m = convBn();
    const limit = maxAbs(m, 'conv');
    const state = new OptimizationState();
    state.establish('conv/kernel', BoundedInvariant, { limit: limit * 1.0001 }, 'test');
    // The file's kernel is the model's times |gamma| ≈ 3: only the unfolded values are within the limit.
    const { report } = await exportTflite(m, { mode: 'float32' }, state);
    const conv = report.weights.find((w) => w.weightId === 'conv/kernel')!;
    expect(conv.foldedBatchNorm).to.equal('bn');
    expect(conv.verified).to.deep.equal(['test-bounded']);
    expect(conv.notes.join(' ')).to.match(/test-bounded checked with BatchNormalization 'bn' divided back out/);
    state.establish('conv/kernel', BoundedInvariant, { limit: limit * 0.9 }, 'test');
    const err = await exportTflite(m, { mode: 'float32' }, state).then(() => null, (e: unknown) => e);
    expect((err as Error).message).to.match(/'test-bounded'.*above/s);
    state.dispose();
    m.dispose();
  });
});
