import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { AllValuesRangeObserver } from '../../../plugins/src/quantization/AllValuesRangeObserver';
import { fakeQuantAsymmetric } from '../../../plugins/src/quantization/fakeQuantAsymmetric';
import { MovingAverageRangeObserver } from '../../../plugins/src/quantization/MovingAverageRangeObserver';
import { nudgeRange } from '../../../plugins/src/quantization/nudgeRange';
import { RANGE_OBSERVE_KERNEL } from '../../../core/src/backend/collaboptKernelNames';
import { skipWithoutNative, withTrainingKernelsOnWasm } from '../../core/backend/backendTestUtils';
import { expectNoLeak, f32, uniform, withoutReadback } from './helpers';

function feed(observer: { update(x: tf.Tensor): void }, batches: number[][]): void {
  for (const b of batches) {
    const x = tf.tensor1d(b);
    observer.update(x);
    x.dispose();
  }
}

const value = (v: tf.Variable): number => v.dataSync()[0];

describe('quantization: MovingAverageRangeObserver', () => {
  it('golden (TFMOT quant_ops_test): from 0, batches [-1, 1] then [0, 0] give ≈ ∓0.000999', () => {
    const o = new MovingAverageRangeObserver({ initialMin: 0, initialMax: 0 });
    feed(o, [[-1, 1], [0, 0]]);
    expect(value(o.min)).to.be.closeTo(-0.000999, 1e-9);
    expect(value(o.max)).to.be.closeTo(0.000999, 1e-9);
    // Exactly TF's float32 assign_moving_average(zero_debias=False): v -= (v - x) · fl(1 - 0.999).
    const k = f32(1 - 0.999);
    const step = (v: number, x: number) => f32(v - f32(f32(v - x) * k));
    expect(value(o.min)).to.equal(step(step(0, -1), 0));
    expect(value(o.max)).to.equal(step(step(0, 1), 0));
    // Zero-debiasing would have given (−0.001·0.999) / (1 − 0.999²) ≈ −0.49975: not what TFMOT does.
    expect(Math.abs(value(o.min))).to.be.below(0.001);
    o.dispose();
  });

  it('starts at TFMOT\'s ±6 by default and moves 0.1% of the way per batch', () => {
    const o = new MovingAverageRangeObserver();
    expect([value(o.min), value(o.max)]).to.deep.equal([-6, 6]);
    feed(o, [[-1, 2]]);
    expect(value(o.min)).to.be.closeTo(-6 + 0.001 * 5, 1e-6);
    expect(value(o.max)).to.be.closeTo(6 - 0.001 * 4, 1e-6);
    expect(o.decay).to.equal(0.999);
    o.dispose();
  });

  it('widens every batch range to contain 0 before averaging', () => {
    const o = new MovingAverageRangeObserver({ initialMin: 0, initialMax: 0, decay: 0.5 });
    feed(o, [[2, 3]]); // batch range [0, 3], not [2, 3]
    expect([value(o.min), value(o.max)]).to.deep.equal([0, 1.5]);
    feed(o, [[-4, -1]]); // batch range [-4, 0]
    expect([value(o.min), value(o.max)]).to.deep.equal([-2, 0.75]);
    o.dispose();
  });

  it('with a configurable start and startFromFirstBatch, the first batch replaces the initial range', () => {
    const o = new MovingAverageRangeObserver({ initialMin: -1, initialMax: 1, startFromFirstBatch: true, decay: 0.9 });
    feed(o, [[-0.2, 0.4]]);
    expect(value(o.min)).to.equal(f32(-0.2));
    expect(value(o.max)).to.equal(f32(0.4));
    feed(o, [[-1.2, 1.4]]);
    expect(value(o.min)).to.be.closeTo(-0.2 - 0.1 * 1.0, 1e-6);
    expect(value(o.max)).to.be.closeTo(0.4 + 0.1 * 1.0, 1e-6);
    o.dispose();
  });

  it('uses a custom initial range without startFromFirstBatch', () => {
    const o = new MovingAverageRangeObserver({ initialMin: -2, initialMax: 3, decay: 0.5 });
    expect([value(o.min), value(o.max)]).to.deep.equal([-2, 3]);
    feed(o, [[0, 1]]);
    expect([value(o.min), value(o.max)]).to.deep.equal([-1, 2]);
    o.dispose();
  });

  it('reads, restores (counting as started) and rejects invalid ranges', async () => {
    const o = new MovingAverageRangeObserver({ startFromFirstBatch: true, decay: 0.5 });
    o.restore({ min: -0.5, max: 4 });
    expect(await o.read()).to.deep.equal({ min: -0.5, max: 4 });
    feed(o, [[0, 2]]); // averaged with the restored range, not replacing it
    expect(await o.read()).to.deep.equal({ min: -0.25, max: 3 });
    expect(() => o.restore({ min: 1, max: 2 })).to.throw(RangeError, /min <= 0 <= max, got min 1, max 2/);
    expect(() => o.restore({ min: -1, max: NaN })).to.throw(RangeError, /got min -1, max NaN/);
    o.dispose();
  });

  it('rejects invalid options, naming them', () => {
    expect(() => new MovingAverageRangeObserver({ decay: 1 })).to.throw(RangeError, /decay must be a number in \[0, 1\), got 1/);
    expect(() => new MovingAverageRangeObserver({ decay: -0.1 })).to.throw(RangeError, /got -0.1/);
    expect(() => new MovingAverageRangeObserver({ initialMin: 1 })).to.throw(RangeError, /initial range .* got min 1, max 6/);
    expect(() => new MovingAverageRangeObserver({ initialMax: -1 })).to.throw(RangeError, /got min -6, max -1/);
  });

  it('rejects an empty batch and use after dispose', () => {
    const o = new MovingAverageRangeObserver();
    const empty = tf.tensor2d([], [0, 3]);
    expect(() => o.update(empty)).to.throw(RangeError, /x is empty \(shape \[0, 3\]\)/);
    o.dispose();
    o.dispose(); // idempotent
    const x = tf.tensor1d([1]);
    expect(() => o.update(x)).to.throw(Error, /MovingAverageRangeObserver\.update: the observer was disposed/);
    tf.dispose([empty, x]);
  });
});

describe('quantization: AllValuesRangeObserver', () => {
  it('starts at [0, 0] and keeps the running min/max of everything seen, including 0', () => {
    const o = new AllValuesRangeObserver();
    expect([value(o.min), value(o.max)]).to.deep.equal([0, 0]);
    feed(o, [[1, 2]]);
    expect([value(o.min), value(o.max)]).to.deep.equal([0, 2]);
    feed(o, [[-3, 1]]);
    expect([value(o.min), value(o.max)]).to.deep.equal([-3, 2]);
    feed(o, [[-1, 0.5]]);
    expect([value(o.min), value(o.max)]).to.deep.equal([-3, 2]);
    o.dispose();
  });

  it('accepts integer inputs (e.g. raw pixels)', () => {
    const o = new AllValuesRangeObserver();
    const x = tf.tensor2d([[0, 255], [17, 3]], [2, 2], 'int32');
    o.update(x);
    expect([value(o.min), value(o.max)]).to.deep.equal([0, 255]);
    tf.dispose([x]);
    o.dispose();
  });
});

describe('quantization: observers inside a training step', () => {
  it('update without reading back, and leak nothing across many batches; dispose frees the variables', () => {
    const x = tf.tensor2d(uniform(256, -3, 5, 31), [16, 16]);
    expectNoLeak(() => {
      const ema = new MovingAverageRangeObserver({ startFromFirstBatch: true });
      const all = new AllValuesRangeObserver();
      const baseline = tf.memory().numTensors;
      withoutReadback(() => {
        for (let i = 0; i < 20; i++) {
          ema.update(x);
          all.update(x);
          fakeQuantAsymmetric(x, ema.min, ema.max).dispose();
        }
      });
      expect(tf.memory().numTensors).to.equal(baseline);
      ema.dispose();
      all.dispose();
    });
    x.dispose();
  });

  it('runs inside a gradient tape: ranges update, the gradient reaches the input, not the ranges', () => {
    const w = tf.variable(tf.tensor2d([[0.5, -1], [2, 0.25]]));
    const input = tf.tensor2d([[1, 2], [-1, 3]]);
    const obs = new MovingAverageRangeObserver({ startFromFirstBatch: true });
    const { value: loss, grads } = tf.variableGrads(() => {
      const act = tf.matMul(input, w);
      obs.update(act);
      return fakeQuantAsymmetric(act, obs.min, obs.max).sum() as tf.Scalar;
    }, [w]);
    // act = [[4.5, -0.5], [5.5, 1.75]]: the first batch sets the range to [min(−0.5, 0), 5.5].
    expect(value(obs.min)).to.equal(-0.5);
    expect(value(obs.max)).to.equal(5.5);
    expect(Number.isFinite(loss.dataSync()[0])).to.equal(true);
    // Nudging moves the range to [-0.494, 5.506], so act = −0.5 is clipped: its gradient is 0.
    // dL/dw[i][j] = Σ_k input[k][i] · inside(act[k][j]).
    const r = nudgeRange(-0.5, 5.5);
    const inp = [[1, 2], [-1, 3]];
    const act = [[4.5, -0.5], [5.5, 1.75]];
    const inside = act.map((row) => row.map((a) => (a >= r.nudgedMin && a <= r.nudgedMax ? 1 : 0)));
    expect(inside).to.deep.equal([[1, 0], [1, 1]]);
    const want = [0, 1].flatMap((i) => [0, 1].map((j) => inp[0][i] * inside[0][j] + inp[1][i] * inside[1][j]));
    expect(Array.from(grads[w.name].dataSync())).to.deep.equal(want);
    tf.dispose([w, input, loss, grads[w.name]]);
    obs.dispose();
  });

  it('the fake-quant of a batch uses the range that batch just updated (TFMOT order)', () => {
    const obs = new MovingAverageRangeObserver({ initialMin: 0, initialMax: 0, decay: 0.5 });
    const x = tf.tensor1d([-2, 2]);
    obs.update(x); // range becomes [-1, 1]
    const y = fakeQuantAsymmetric(x, obs.min, obs.max);
    const v = y.dataSync();
    expect(v[0]).to.be.closeTo(-0.996, 1e-3); // clamped to the nudged [-0.996, 1.004]
    expect(v[1]).to.be.closeTo(1.004, 1e-3);
    tf.dispose([x, y]);
    obs.dispose();
  });
});

describe('quantization: observers on the native range kernel (wasm) equal their ops, bit for bit', () => {
  if (skipWithoutNative(true)) return;
  withTrainingKernelsOnWasm({ nativeKernels: true });

  /** Runs `f` with the native observe kernel out of the registry (the ops run). */
  function withoutKernel<T>(f: () => T): T {
    const config = tf.getKernel(RANGE_OBSERVE_KERNEL, 'wasm')!;
    tf.unregisterKernel(RANGE_OBSERVE_KERNEL, 'wasm');
    try {
      return f();
    } finally {
      tf.registerKernel(config);
    }
  }

  const bits = (o: { min: tf.Variable; max: tf.Variable }) => [o.min.dataSync()[0]!, o.max.dataSync()[0]!];
  const same = (got: number[], want: number[], label: string) => {
    for (let i = 0; i < 2; i++) if (!Object.is(got[i], want[i])) expect.fail(`${label}: ${i === 0 ? 'min' : 'max'}: got ${got[i]}, want ${want[i]}`);
  };
  // Batches probing the rules: signs of zero first or later, NaN, ±∞, one-signed batches, a large
  // batch (vector lanes and tail), an odd size.
  const r = uniform(70001, -3, 5, 11);
  const batches: Float32Array[] = [
    Float32Array.from([0.5, -0.25, 2]), Float32Array.from([-0, 0, 1]), Float32Array.from([0, -0, -1]), Float32Array.from([3, -0, 0, 2]),
    Float32Array.from([-2, 0, -0]), Float32Array.from(Array.from({ length: 37 }, (_, i) => (i % 3 === 0 ? -0 : i % 3 === 1 ? 0 : 0.5))),
    r, r.map((v) => Math.abs(v) + 1), r.map((v) => -Math.abs(v) - 1), Float32Array.from([1, NaN, -1]), Float32Array.from([Infinity, -2]),
    Float32Array.from([-Infinity, 4]), Float32Array.from([0, 0, 0]), Float32Array.from([-0, -0]),
  ];

  for (const kind of ['moving average', 'moving average, first batch replaces', 'all values'] as const) {
    it(`${kind}: the same range after every batch`, () => {
      const make = () => kind === 'all values' ? new AllValuesRangeObserver() : new MovingAverageRangeObserver({ decay: 0.9, startFromFirstBatch: kind !== 'moving average' });
      // All batches in order (a NaN poisons the moving average from there on), and each batch alone from the start.
      for (const order of [batches, ...batches.map((b) => [b])]) {
        const native = make();
        const ops = make();
        order.forEach((values, i) => {
          const x = tf.tensor(values);
          native.update(x);
          withoutKernel(() => ops.update(x));
          same(bits(native), bits(ops), `${kind}, batch ${i} of ${order.length}`);
          x.dispose();
        });
        native.dispose();
        ops.dispose();
      }
    });
  }

  it('runs the kernel (one per update, no scalar kernels) and leaks nothing', async () => {
    const o = new MovingAverageRangeObserver();
    const x = tf.tensor([1, -2, 3]);
    const before = tf.memory().numTensors;
    const info = await tf.profile(() => o.update(x));
    expect(info.kernelNames).to.deep.equal([RANGE_OBSERVE_KERNEL]);
    expect(tf.memory().numTensors).to.equal(before);
    tf.dispose([x]);
    o.dispose();
  });
});
