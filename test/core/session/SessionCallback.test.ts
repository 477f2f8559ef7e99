import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { collab } from '../../../core/src/session/collab';
import { SessionCallback } from '../../../core/src/session/SessionCallback';
import { SessionError } from '../../../core/src/errors/SessionError';

const quiet = { onWarning: () => {} };

function tinyModel(name?: string): tf.LayersModel {
  const model = tf.sequential({ name, layers: [tf.layers.dense({ inputShape: [2], units: 1 })] });
  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
  return model;
}

describe('SessionCallback', () => {
  it('drives the session from fit(): step, epoch and stepsPerEpoch follow tfjs', async () => {
    const model = tinyModel();
    const session = collab(model, [], quiet);
    const callback = session.callback();
    expect(callback).to.be.instanceOf(SessionCallback);
    expect((callback as SessionCallback).session).to.equal(session);
    await model.fit(tf.ones([6, 2]), tf.ones([6, 1]), { epochs: 2, batchSize: 4, verbose: 0, callbacks: [callback] });
    expect(session.step).to.equal(4);
    expect(session.epoch).to.equal(2);
    expect(session.stepsPerEpoch).to.equal(2);
    await session.finish();
  });

  it('its methods are bound, so it works when tfjs (or a user) calls them detached', async () => {
    const model = tinyModel();
    const session = collab(model, [], quiet);
    const { onTrainBegin, onEpochBegin, onBatchBegin, onBatchEnd, onEpochEnd, onTrainEnd } = session.callback();
    // A plain-object callback mixed with others: tfjs calls each function on its own.
    await model.fit(tf.ones([2, 2]), tf.ones([2, 1]), {
      epochs: 1,
      batchSize: 1,
      verbose: 0,
      callbacks: { onTrainBegin, onEpochBegin, onBatchBegin, onBatchEnd, onEpochEnd, onTrainEnd },
    });
    expect(session.step).to.equal(2);
    await session.finish();
  });

  it("refuses to drive a session from another model's fit(), naming both models", async () => {
    const mine = tinyModel('mine');
    const other = tinyModel('other');
    const session = collab(mine, [], quiet);
    const err = await other.fit(tf.ones([2, 2]), tf.ones([2, 1]), { verbose: 0, callbacks: [session.callback()] }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(SessionError);
    // tfjs hands callbacks a Sequential's inner model ('other_model'), which the message names today.
    expect((err as Error).message).to.match(/^session 'stage' belongs to model 'mine', but fit\(\) was called on model 'other(_model)?'$/);
    session.dispose();
  });

  it('detaches from the optimizer at trainEnd: a later optimizer step outside fit() does not touch the session', async () => {
    const model = tinyModel();
    const session = collab(model, [], quiet);
    await model.fit(tf.ones([2, 2]), tf.ones([2, 1]), { epochs: 1, batchSize: 2, verbose: 0, callbacks: [session.callback()] });
    expect(Object.prototype.hasOwnProperty.call(model.optimizer, 'applyGradients')).to.equal(false);
    await session.finish();
  });
});
