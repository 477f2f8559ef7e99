import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { collab, definePlugin, loadModel, SessionError } from '@collabopt/core';
import { testScaleOutput } from '../helpers/testPlugins';
import { mlpData, smallMlp } from '../helpers/models';

const quiet = { onWarning: () => {} };

describe('Forward hooks (layerOutput)', () => {
  it('transform a layer output in predict, evaluate and fit, and vanish at finish()', async () => {
    const model = smallMlp();
    model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
    const { xs, ys } = mlpData(8);
    const plain = (model.predict(xs) as tf.Tensor).arraySync() as number[][];
    const plainLoss = (model.evaluate(xs, ys) as tf.Scalar).dataSync()[0];
    const d2 = model.getLayer('d2');
    expect(Object.prototype.hasOwnProperty.call(d2, 'call')).to.equal(false);

    const session = collab(model, [testScaleOutput({ layer: 'd2', factor: 2 })], quiet);
    await session.beforeStep(); // starts the session: hooks installed
    const hooked = (model.predict(xs) as tf.Tensor).arraySync() as number[][];
    hooked.forEach((row, i) => row.forEach((v, j) => expect(v).to.be.closeTo(2 * plain[i][j], 1e-6)));
    const hookedLoss = (model.evaluate(xs, ys) as tf.Scalar).dataSync()[0];
    expect(hookedLoss).to.not.be.closeTo(plainLoss, 1e-3);
    await session.afterStep();

    // Gradients flow through the hook: one fit epoch reduces the (hooked) loss.
    const h = await model.fit(xs, ys, { epochs: 5, batchSize: 8, verbose: 0, callbacks: [session.callback()] });
    const losses = h.history['loss'] as number[];
    expect(losses[4]).to.be.below(losses[0]);

    await session.finish();
    expect(Object.prototype.hasOwnProperty.call(d2, 'call')).to.equal(false);
    const after = (model.predict(xs) as tf.Tensor).arraySync() as number[][];
    const scaledNow = (tf.tidy(() => (model.predict(xs) as tf.Tensor).mul(2)).arraySync()) as number[][];
    // No hook left: predict is the plain network again (compare with a fresh copy of the weights).
    const copy = smallMlp();
    copy.setWeights(model.getWeights());
    const ref = (copy.predict(xs) as tf.Tensor).arraySync() as number[][];
    after.forEach((row, i) => row.forEach((v, j) => expect(v).to.be.closeTo(ref[i][j], 1e-6)));
    expect(scaledNow[0][0]).to.be.closeTo(2 * after[0][0], 1e-6);
  });

  it('are not saved with the model, and a saved model loads without them', async () => {
    const model = smallMlp();
    const { xs } = mlpData(4);
    const session = collab(model, [testScaleOutput({ layer: 'd1', factor: 3 })], quiet);
    await session.beforeStep();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'collabopt-fh-'));
    await session.save(path.join(dir, 's'));
    const { model: loaded, state } = await loadModel(path.join(dir, 's'));
    const copy = smallMlp();
    copy.setWeights(model.getWeights());
    const ref = (copy.predict(xs) as tf.Tensor).dataSync();
    const got = (loaded.predict(xs) as tf.Tensor).dataSync();
    got.forEach((v, i) => expect(v).to.be.closeTo(ref[i], 1e-6));
    state.dispose();
    session.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuse a second active session on the same layer', async () => {
    const model = smallMlp();
    const a = collab(model, [testScaleOutput({ layer: 'd1' })], quiet);
    await a.beforeStep();
    const b = collab(model, [testScaleOutput({ layer: 'd1' })], quiet);
    const err = await b.beforeStep().catch((e) => e);
    expect(err).to.be.instanceOf(SessionError);
    expect((err as Error).message).to.match(/layer 'd1' already has a forward hook from another active session/);
    a.dispose();
    b.dispose();
  });

  it('are removed even when finish() fails in an exporter, and the session cannot finish twice', async () => {
    const model = smallMlp();
    const failing = definePlugin<Record<string, never>>({
      name: 'failing-exporter',
      optionsSchema: { type: 'object', additionalProperties: false },
      invariants: { establishes: [], preserves: [], requires: [] },
      create: () => ({
        apply(session) {
          session.hooks.export.tapPromise('failing-exporter', async () => {
            throw new Error('disk full');
          });
        },
      }),
    });
    const session = collab(model, [testScaleOutput({ layer: 'd2' }), failing()], quiet);
    await session.beforeStep();
    expect(Object.prototype.hasOwnProperty.call(model.getLayer('d2'), 'call')).to.equal(true);
    const err = await session.finish().catch((e) => e);
    expect(err.message).to.equal('disk full');
    expect(session.finished).to.equal(true);
    expect(Object.prototype.hasOwnProperty.call(model.getLayer('d2'), 'call')).to.equal(false);
    expect(session.weight('d2/kernel').latent).to.equal(null);
    const again = await session.finish().catch((e) => e);
    expect(again).to.be.instanceOf(SessionError);
  });

  it('reject hooks on layers the model does not have', () => {
    expect(() => collab(smallMlp(), [testScaleOutput({ layer: 'nope' })], quiet)).to.throw(SessionError, /tapped a forward hook of layer 'nope'/);
  });

  it('layerCall: the first tap returning a tensor replaces the call (activation and preActivation taps included); undefined passes', async () => {
    const model = smallMlp();
    const { xs } = mlpData(4);
    const d1 = model.getLayer('d1') as tf.layers.Layer & { kernel: { read(): tf.Tensor }; bias: { read(): tf.Tensor } };
    const plain = (model.predict(xs) as tf.Tensor).arraySync() as number[][];
    const order: string[] = [];
    let replace = true;
    const replacing = definePlugin<Record<string, never>>({
      name: 'replacing',
      optionsSchema: { type: 'object', additionalProperties: false },
      invariants: { establishes: [], preserves: [], requires: [] },
      create: () => ({
        apply(ctx) {
          ctx.hooks.layerInput.for('d1').tap('replacing', (inputs) => (order.push('input'), inputs));
          ctx.hooks.preActivation.for('d1').tap('replacing', (v) => (order.push('preActivation'), v));
          ctx.hooks.layerCall.for('d1').tap('replacing', () => (order.push('pass'), undefined));
          // d1 without its relu: the replacement is the whole layer.
          ctx.hooks.layerCall.for('d1').tap('replacing', (inputs) => {
            order.push('call');
            // tfjs hands a single input as a one-element list.
            const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D;
            return replace ? tf.add(tf.matMul(x, d1.kernel.read() as tf.Tensor2D), d1.bias.read()) : undefined;
          });
          // Never reached while the tap before replaces: a bail hook stops at the first tensor.
          ctx.hooks.layerCall.for('d1').tap('replacing', () => (order.push('after'), replace ? tf.zeros([4, 8]) : undefined));
          ctx.hooks.layerOutput.for('d1').tap('replacing', (out) => (order.push('output'), out));
        },
      }),
    });
    const session = collab(model, [replacing({})], quiet);
    await session.beforeStep();
    const linear = tf.tidy(() => tf.layers.dense({ units: 3, weights: model.getLayer('d2').getWeights() }).apply(tf.add(tf.matMul(xs, d1.kernel.read() as tf.Tensor2D), d1.bias.read())) as tf.Tensor);
    const hooked = model.predict(xs) as tf.Tensor;
    expect(order).to.deep.equal(['input', 'pass', 'call', 'output']);
    expect(tf.max(tf.abs(tf.sub(hooked, linear))).dataSync()[0]).to.be.below(1e-6);
    expect(tf.max(tf.abs(tf.sub(hooked, plain))).dataSync()[0], 'd1 without its relu differs').to.be.above(1e-3);
    // Every tap passes: the layer's own call, with its preActivation taps, runs.
    replace = false;
    order.length = 0;
    const own = (model.predict(xs) as tf.Tensor).arraySync() as number[][];
    expect(order).to.deep.equal(['input', 'pass', 'call', 'after', 'preActivation', 'output']);
    own.forEach((row, i) => row.forEach((v, j) => expect(v).to.be.closeTo(plain[i][j], 1e-6)));
    await session.finish();
    expect(Object.prototype.hasOwnProperty.call(d1, 'call')).to.equal(false);
    tf.dispose([xs, linear, hooked]);
  });
});
