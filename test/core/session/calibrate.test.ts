import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { calibrate, calibrationPlan } from '../../../core/src/session/calibrate';
import { SessionError } from '../../../core/src/errors/SessionError';

/** Wraps model.predict to record the batch sizes it sees (first input's first dimension). */
function recording(model: tf.LayersModel): number[][] {
  const seen: number[][] = [];
  const predict = model.predict.bind(model);
  model.predict = ((x: tf.Tensor | tf.Tensor[], args?: tf.ModelPredictConfig) => {
    const list = Array.isArray(x) ? x : [x];
    seen.push(list.map((t) => t.shape[0]!));
    return predict(x, args);
  }) as typeof model.predict;
  return seen;
}

function single(): tf.LayersModel {
  return tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1 })] });
}

function twoInputs(): tf.LayersModel {
  const a = tf.input({ shape: [2] });
  const b = tf.input({ shape: [3] });
  const out = tf.layers.dense({ units: 1 }).apply(tf.layers.concatenate().apply([a, b]) as tf.SymbolicTensor) as tf.SymbolicTensor;
  return tf.model({ inputs: [a, b], outputs: out });
}

describe('calibrate', () => {
  describe('calibrationPlan', () => {
    it('defaults: batches of 32, all of the data', () => {
      expect(calibrationPlan({})).to.deep.equal({ batchSize: 32, steps: Infinity });
      expect(calibrationPlan({ batchSize: 5, steps: 2 })).to.deep.equal({ batchSize: 5, steps: 2 });
    });

    it('rejects a batch size that is not a positive integer and steps that are not positive, before anything runs', () => {
      for (const [options, got] of [[{ batchSize: 0 }, '0 and Infinity'], [{ batchSize: 2.5 }, '2.5 and Infinity'], [{ steps: 0 }, '32 and 0'], [{ steps: -1 }, '32 and -1']] as const) {
        expect(() => calibrationPlan(options), JSON.stringify(options)).to.throw(
          SessionError,
          `calibrate(): batchSize must be a positive integer and steps positive, got ${got}`,
        );
      }
    });
  });

  it('cuts a tensor into batches (the last one partial) and stops after `steps`', async () => {
    const model = single();
    const seen = recording(model);
    const xs = tf.ones([7, 2]);
    await calibrate(model, xs, { batchSize: 3, steps: Infinity });
    expect(seen).to.deep.equal([[3], [3], [1]]);
    seen.length = 0;
    await calibrate(model, xs, { batchSize: 3, steps: 2 });
    expect(seen).to.deep.equal([[3], [3]]);
    xs.dispose();
  });

  it('an array of tensors is one batch per step across every input, sliced together', async () => {
    const model = twoInputs();
    const seen = recording(model);
    const a = tf.ones([5, 2]);
    const b = tf.ones([5, 3]);
    await calibrate(model, [a, b], { batchSize: 2, steps: Infinity });
    expect(seen).to.deep.equal([[2, 2], [2, 2], [1, 1]]);
    tf.dispose([a, b]);
  });

  it('a dataset of inputs or of {xs, ys}: one element per step, up to `steps`', async () => {
    const model = single();
    const seen = recording(model);
    const inputs = tf.data.array([tf.ones([4, 2]), tf.ones([2, 2])]);
    await calibrate(model, inputs, { batchSize: 32, steps: Infinity });
    expect(seen).to.deep.equal([[4], [2]]);
    seen.length = 0;
    const pairs = tf.data.array([0, 1, 2]).map(() => ({ xs: tf.ones([3, 2]), ys: tf.ones([3, 1]) }));
    await calibrate(model, pairs, { batchSize: 32, steps: 2 });
    expect(seen).to.deep.equal([[3], [3]]);
  });

  it('leaves no tensors behind (batches, predictions and dataset elements are disposed)', async () => {
    const model = single();
    const xs = tf.ones([10, 2]);
    const before = tf.memory().numTensors;
    await calibrate(model, xs, { batchSize: 4, steps: Infinity });
    await calibrate(model, tf.data.array([0, 1]).map(() => ({ xs: tf.ones([2, 2]), ys: tf.ones([2, 1]) })), { batchSize: 32, steps: Infinity });
    expect(tf.memory().numTensors).to.equal(before);
    xs.dispose();
  });
});
