// The sharing Identity and same-dtype Cast on wasm: they share the input's buffer (no copy), and
// the wasm backend's reference counting keeps that safe — disposal in either order, variables
// assigned from identities, ops after the source is gone, casts to another dtype still convert,
// and a training loop that clones every saved tensor does not grow.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import '../../../../core/src/backend/node';
import { registerTrainingKernels, type TrainingKernelRegistration } from '../../../../core/src/backend/registerTrainingKernels';
import { memorySnapshot, seeded } from '../backendTestUtils';
import { describeNative } from './nativeTestUtils';

describeNative('sharing Identity and Cast on wasm (native kernels)', () => {
  let registration: TrainingKernelRegistration;
  before(async () => {
    registration = registerTrainingKernels({ nativeKernels: true, backends: ['wasm'] });
    expect(await tf.setBackend('wasm')).to.equal(true);
  });
  after(() => registration.unregister());

  it('are registered, replacing the stock copies, and restored on unregister', () => {
    for (const name of [tf.Identity, tf.Cast]) {
      expect(registration.kernels.find((k) => k.kernelName === name), name).to.deep.include({ backendName: 'wasm', mode: 'replaced', native: true });
    }
  });

  it('clone shares the buffer; either tensor survives the other being disposed', () => {
    const before = memorySnapshot();
    const x = tf.tensor(seeded(24, 1), [2, 3, 4]);
    const y = tf.clone(x);
    expect(memorySnapshot().dataIds, 'one buffer for both').to.equal(before.dataIds + 1);
    expect(y.shape).to.deep.equal([2, 3, 4]);
    const expected = Array.from(x.dataSync());
    x.dispose();
    expect(Array.from(y.dataSync()), 'the clone outlives its source').to.deep.equal(expected);
    const sum = tf.add(y, 1);
    expect(Array.from(sum.dataSync()), 'ops read it').to.deep.equal(expected.map((v) => Math.fround(v + 1)));
    sum.dispose();
    y.dispose();
    const z = tf.tensor([1, 2, 3]);
    const w = tf.clone(z);
    w.dispose();
    expect(Array.from(z.dataSync()), 'the source outlives its clone').to.deep.equal([1, 2, 3]);
    z.dispose();
    expect(memorySnapshot(), 'everything freed').to.deep.equal(before);
  });

  it('an op that looks in place (assign, then an op on the source) does not touch the clone', () => {
    const before = memorySnapshot();
    const v = tf.tidy(() => tf.variable(tf.tensor([1, 2, 3])));
    const saved = tf.clone(v);
    tf.tidy(() => v.assign(tf.mul(v, 10)));
    expect(Array.from(saved.dataSync()), 'the clone keeps the old value').to.deep.equal([1, 2, 3]);
    expect(Array.from(v.dataSync())).to.deep.equal([10, 20, 30]);
    const source = tf.tensor([4, 5, 6]);
    tf.tidy(() => v.assign(tf.clone(source)));
    source.dispose();
    expect(Array.from(v.dataSync()), 'a variable assigned from an identity keeps the value').to.deep.equal([4, 5, 6]);
    tf.tidy(() => v.assign(tf.sub(v, 1)));
    expect(Array.from(v.dataSync())).to.deep.equal([3, 4, 5]);
    saved.dispose();
    v.dispose();
    expect(memorySnapshot()).to.deep.equal(before);
  });

  it('same-dtype casts share; casts to another dtype convert (through the stock kernel)', () => {
    const before = memorySnapshot();
    const x = tf.tensor([1.5, -2.5, 3]);
    const same = tf.cast(x, 'float32');
    expect(memorySnapshot().dataIds).to.equal(before.dataIds + 1);
    const ints = tf.cast(x, 'int32');
    expect(ints.dtype).to.equal('int32');
    expect(Array.from(ints.dataSync())).to.deep.equal([1, -2, 3]);
    const bools = tf.tidy(() => tf.greater(x, 0));
    expect(Array.from(bools.dataSync())).to.deep.equal([1, 0, 1]);
    const boolClone = tf.clone(bools);
    expect(boolClone.dtype).to.equal('bool');
    expect(Array.from(boolClone.dataSync())).to.deep.equal([1, 0, 1]);
    x.dispose();
    expect(Array.from(same.dataSync())).to.deep.equal([1.5, -2.5, 3]);
    tf.dispose([same, ints, bools, boolClone]);
    expect(memorySnapshot()).to.deep.equal(before);
  });

  it('strings go to the stock kernel', () => {
    const s = tf.tensor(['a', 'bc']);
    const c = tf.clone(s);
    s.dispose();
    expect(c.dataSync()).to.deep.equal(['a', 'bc']);
    c.dispose();
  });

  it('a training loop (every saved tensor cloned by the engine) does not grow over many steps', async function () {
    this.timeout(120_000);
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', depthwiseInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
        tf.layers.reLU({ maxValue: 6 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
      ],
    });
    model.compile({ optimizer: tf.train.rmsprop(0.001, 0.9, 0.5, 1e-7, true), loss: 'categoricalCrossentropy' });
    const xs = tf.tensor(seeded(6 * 128, 3), [6, 8, 8, 2]);
    const ys = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), 3).toFloat());
    try {
      await model.trainOnBatch(xs, ys);
      const steady = memorySnapshot();
      const losses: number[] = [];
      for (let i = 0; i < 40; i++) losses.push(await model.trainOnBatch(xs, ys) as number);
      expect(memorySnapshot(), 'no tensor or buffer growth over 40 steps').to.deep.equal(steady);
      expect(losses.every(Number.isFinite), `losses ${losses}`).to.equal(true);
    } finally {
      model.dispose();
      tf.dispose([xs, ys]);
    }
  });
});
