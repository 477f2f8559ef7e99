import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { fakeQuantAsymmetric } from '../../../plugins/src/quantization/fakeQuantAsymmetric';
import { nudgeRange, nudgeRangeTensors } from '../../../plugins/src/quantization/nudgeRange';
import { asymmetricQuantLevels, symmetricQuantLevels } from '../../../plugins/src/quantization/quantLevels';
import { roundHalfAwayFromZero } from '../../../plugins/src/quantization/roundHalfAwayFromZero';
import { distinct, expectNoLeak, f32, rng, tfFakeQuantReference, uniform, withoutReadback } from './helpers';

function fq(values: number[] | Float32Array, min: number | tf.Tensor, max: number | tf.Tensor, numBits = 8, narrowRange = false): Float32Array {
  return tf.tidy(() => fakeQuantAsymmetric(tf.tensor1d(Array.from(values)), min, max, { numBits, narrowRange }).dataSync() as Float32Array);
}

describe('quantization: levels and rounding', () => {
  it('gives TF fake-quant levels and symmetric narrow levels', () => {
    expect(asymmetricQuantLevels()).to.deep.equal({ quantMin: 0, quantMax: 255 });
    expect(asymmetricQuantLevels(8, true)).to.deep.equal({ quantMin: 1, quantMax: 255 });
    expect(asymmetricQuantLevels(4)).to.deep.equal({ quantMin: 0, quantMax: 15 });
    expect(symmetricQuantLevels()).to.deep.equal({ quantMin: -127, quantMax: 127 });
    expect(symmetricQuantLevels(4)).to.deep.equal({ quantMin: -7, quantMax: 7 });
    expect(symmetricQuantLevels(2)).to.deep.equal({ quantMin: -1, quantMax: 1 });
  });

  it('rejects bit widths outside the supported range, naming the value', () => {
    expect(() => asymmetricQuantLevels(1)).to.throw(RangeError, /numBits .*\[2, 16\], got 1/);
    expect(() => asymmetricQuantLevels(17)).to.throw(RangeError, /got 17/);
    expect(() => symmetricQuantLevels(9)).to.throw(RangeError, /numBits .*\[2, 8\], got 9/);
    expect(() => symmetricQuantLevels(7.5)).to.throw(RangeError, /got 7.5/);
  });

  it('rounds ties away from zero, for numbers and tensors alike', () => {
    const xs = [-2.5, -1.5, -0.5, -0.49999997, 0, 0.49999997, 0.5, 1.5, 2.5, 126.5, -126.5, 3.2, -3.7];
    const want = [-3, -2, -1, 0, 0, 0, 1, 2, 3, 127, -127, 3, -4];
    expect(xs.map((x) => roundHalfAwayFromZero(x))).to.deep.equal(want);
    const t = tf.tensor1d(xs);
    const r = roundHalfAwayFromZero(t);
    expect(Array.from(r.dataSync())).to.deep.equal(want);
    tf.dispose([t, r]);
  });
});

describe('quantization: nudgeRange', () => {
  it('golden: [-1, 1], 8 bits, not narrow, in TF float32 arithmetic nudges to [-0.996078, 1.003922]', () => {
    // In exact arithmetic the zero point from min is 127.5 (→ 128, range [-1.003922, 0.996078]).
    // TF's kernel computes it in float32: scale = fl(2/255) = 0.0078431377 is slightly above 2/255,
    // so 1/scale = 127.49999237 → std::round → 127. The TFLite converter lands on the same grid:
    // in double, its signed zero point is round(-0.5) = -1 (ties away), i.e. unsigned 127.
    const s = f32(2 / 255);
    expect(f32(0 - f32(-1 / s))).to.equal(127.49999237060547);
    const r = nudgeRange(-1, 1);
    expect(r.scale).to.equal(s);
    expect(r.zeroPoint).to.equal(127);
    expect(r.nudgedMin).to.be.closeTo(-0.996078, 1e-6);
    expect(r.nudgedMax).to.be.closeTo(1.003922, 1e-6);
    expect(r.nudgedMin).to.equal(f32(-127 * s));
    expect(r.nudgedMax).to.equal(f32(128 * s));
    expect(r.quantZero).to.equal(127);
    expect(r.degenerate).to.equal(false);
  });

  it('golden: a range whose float32 zero point is an exact tie rounds it away from zero', () => {
    // [-0.5, 127]: scale 0.5, zero point from min exactly 1.0; [-0.25, 127.25]: 0.5 exactly → 1.
    expect(nudgeRange(-0.5, 127).zeroPoint).to.equal(1);
    const tie = nudgeRange(-0.25, 127.25);
    expect(f32(0 - f32(-0.25 / tie.scale))).to.equal(0.5);
    expect(tie.zeroPoint).to.equal(1);
    expect(tie.nudgedMin).to.equal(-0.5);
    expect(tie.nudgedMax).to.equal(127);
    // Same in the tensor version (tf.round would round these ties to even: 0 and 2).
    for (const [lo, hi, zp] of [[-0.25, 127.25, 1], [-1.25, 126.25, 3]]) {
      expect(nudgeRange(lo, hi).zeroPoint).to.equal(zp);
      const t = nudgeRangeTensors(lo, hi);
      expect(t.quantZero.dataSync()[0]).to.equal(zp);
      expect(t.nudgedMin.dataSync()[0]).to.equal(-zp * 0.5);
      tf.dispose(Object.values(t));
    }
  });

  it('golden: symmetric narrow weights range ±0.5 has zero point 128 and stays ±0.5', () => {
    const r = nudgeRange(-0.5, 0.5, { narrowRange: true });
    expect(r.scale).to.equal(f32(1 / 254));
    expect(r.zeroPoint).to.equal(128);
    expect(r.nudgedMin).to.be.closeTo(-0.5, 1e-7);
    expect(r.nudgedMax).to.be.closeTo(0.5, 1e-7);
  });

  it('shifts a range that excludes zero so that it includes zero (width kept)', () => {
    const up = nudgeRange(0.5, 1.5);
    expect(up.zeroPoint).to.equal(0);
    expect(up.nudgedMin).to.equal(0);
    expect(up.nudgedMax).to.be.closeTo(1, 1e-6);
    const down = nudgeRange(-3, -1);
    expect(down.zeroPoint).to.equal(255);
    expect(down.nudgedMax).to.equal(0);
    expect(down.nudgedMin).to.be.closeTo(-2, 1e-6);
  });

  it('is degenerate for a zero-width range', () => {
    expect(nudgeRange(0, 0)).to.include({ degenerate: true, nudgedMin: 0, nudgedMax: 0, scale: 0 });
    expect(nudgeRange(0.25, 0.25).degenerate).to.equal(true);
  });

  it('rejects invalid bounds with errors that name the argument and value', () => {
    expect(() => nudgeRange(1, -1)).to.throw(RangeError, /min must be <= max, got min 1, max -1/);
    expect(() => nudgeRange(NaN, 1)).to.throw(RangeError, /min must be a finite number, got NaN/);
    expect(() => nudgeRange(-1, Infinity)).to.throw(RangeError, /max must be a finite number, got Infinity/);
    const m = tf.tensor1d([-1, -2]);
    expect(() => nudgeRangeTensors(m, 1)).to.throw(RangeError, /min must be a scalar .* shape \[2\]/);
    m.dispose();
  });

  it('tensor and number versions agree bit for bit, and quantZero = zeroPoint − quantMin', () => {
    const r = rng(7);
    const configs: Array<[number, boolean]> = [[8, false], [8, true], [4, false], [2, true], [16, false]];
    let checked = 0;
    for (let i = 0; i < 240; i++) {
      const [numBits, narrowRange] = configs[i % configs.length];
      const mag = 10 ** (Math.floor(r() * 8) - 4);
      let lo = f32(-r() * mag);
      let hi = f32(r() * mag);
      if (i % 7 === 0) lo = f32(r() * mag * 0.1); // ranges that exclude zero
      if (i % 11 === 0) hi = f32(-r() * mag * 0.1);
      if (lo > hi) [lo, hi] = [hi, lo];
      const n = nudgeRange(lo, hi, { numBits, narrowRange });
      const t = nudgeRangeTensors(tf.scalar(lo), tf.scalar(hi), { numBits, narrowRange });
      const got = [t.nudgedMin, t.nudgedMax, t.scale, t.quantZero].map((s) => s.dataSync()[0]);
      expect(got, `range [${lo}, ${hi}] ${numBits} bits narrow ${narrowRange}`).to.deep.equal([n.nudgedMin, n.nudgedMax, n.scale, n.quantZero]);
      expect(n.quantZero).to.equal(n.zeroPoint - n.quantMin);
      expect(n.zeroPoint).to.be.within(n.quantMin, n.quantMax);
      tf.dispose(Object.values(t));
      checked++;
    }
    expect(checked).to.equal(240);
  });
});

describe('quantization: fakeQuantAsymmetric forward', () => {
  // Cases of TF's own kernel tests (tensorflow/core/kernels/fake_quant_ops_test.cc):
  // [numBits, narrowRange, min, max, inputs, expected outputs].
  const tfCases: Array<[number, boolean, number, number, number[], number[]]> = [
    [8, false, -10, 53.75, [-10.1, -10, -9.9, -9.75, 53.75, 53.8], [-10, -10, -10, -9.75, 53.75, 53.75]],
    [8, true, -10, 53.5, [-10.1, -10, -9.9, -9.75, 53.5, 53.6], [-10, -10, -10, -9.75, 53.5, 53.5]],
    [8, false, -0.1, 63.65, [-0.1, 0, 0.1, 0.25, 63.75, 63.8], [0, 0, 0, 0.25, 63.75, 63.75]],
    [8, true, -0.1, 63.4, [-0.1, 0, 0.1, 0.25, 63.5, 63.6], [0, 0, 0, 0.25, 63.5, 63.5]],
    [8, false, -0.1275, 63.6225, [-0.26, -0.25, -0.24, 0, 63.5, 63.6], [-0.25, -0.25, -0.25, 0, 63.5, 63.5]],
    [8, true, -0.1275, 63.3725, [-0.26, -0.25, -0.24, 0, 63.25, 63.3], [-0.25, -0.25, -0.25, 0, 63.25, 63.25]],
    [8, false, -63.65, 0.1, [-63.8, -63.75, -63.7, -63.5, 0, 0.1], [-63.75, -63.75, -63.75, -63.5, 0, 0]],
    [8, true, -63.4, 0.1, [-63.6, -63.5, -63.4, -63.25, 0, 0.1], [-63.5, -63.5, -63.5, -63.25, 0, 0]],
    [4, false, -6, 1.5, [-6.1, -6, -5.9, -5.5, 1.5, 1.6], [-6, -6, -6, -5.5, 1.5, 1.5]],
    [4, true, -6, 1, [-6.1, -6, -5.9, -5.5, 1, 1.1], [-6, -6, -6, -5.5, 1, 1]],
    [4, false, -0.4, 7.1, [-0.6, -0.5, -0.24, 0, 7, 7.1], [-0.5, -0.5, 0, 0, 7, 7]],
    [4, false, -7.3, 0.2, [-7.6, -7.5, -7.4, -7.2, 0, 0.1], [-7.5, -7.5, -7.5, -7, 0, 0]],
    [2, false, -1, 0.5, [-1.1, -1, -0.9, -0.3, 0.1, 0.6], [-1, -1, -1, -0.5, 0, 0.5]],
    [2, true, -1, 0, [-1.1, -1, -0.9, -0.3, 0, 0.1], [-1, -1, -1, -0.5, 0, 0]],
  ];
  tfCases.forEach(([bits, narrow, min, max, xs, want]) => {
    it(`matches TF's kernel test: ${bits} bits${narrow ? ' narrow' : ''}, [${min}, ${max}]`, () => {
      const got = fq(xs, min, max, bits, narrow);
      want.forEach((w, i) => expect(got[i], `input ${xs[i]}`).to.be.closeTo(w, 1e-5));
    });
  });

  it('golden [-1, 1]: clamps to the nudged range and keeps exact zeros', () => {
    const r = nudgeRange(-1, 1);
    const got = fq([-5, -1, -0.996078, 0, 0.3, 0.9, 1.003922, 5], -1, 1);
    expect(got[0]).to.equal(r.nudgedMin);
    expect(got[1]).to.equal(r.nudgedMin); // -1 is below the nudged min
    expect(got[7]).to.equal(r.nudgedMax);
    expect(got[5]).to.equal(f32(115 * r.scale)); // 0.9 / (2/255) = 114.75
    expect(Object.is(got[3], 0)).to.equal(true);
    expect(got[4]).to.equal(f32(38 * r.scale)); // 0.3 / (2/255) = 38.25
  });

  it('equals an independent float32 reference of the TF kernel bit for bit', () => {
    const ranges: Array<[number, number, number, boolean]> = [
      [-1, 1, 8, false], [-6, 6, 8, false], [-0.3, 2.7, 8, true], [0, 6, 8, false], [-4.2, 0, 8, false],
      [-0.01, 0.02, 8, false], [-3, 5, 4, false], [-1, 1, 2, false], [0.5, 3, 8, false], [-123.4, 56.7, 16, false],
    ];
    ranges.forEach(([min, max, bits, narrow], k) => {
      const xs = uniform(400, f32(min * 1.3 - 0.1), f32(max * 1.3 + 0.1), 100 + k);
      const got = fq(xs, min, max, bits, narrow);
      const want = Array.from(xs, (x) => tfFakeQuantReference(x, min, max, bits, narrow));
      expect(Array.from(got), `range [${min}, ${max}] ${bits} bits`).to.deep.equal(want);
    });
  });

  it('puts every output on the grid scale·q with q in [quantMin − zeroPoint, quantMax − zeroPoint]', () => {
    const r = nudgeRange(-0.7, 2.3);
    const got = fq(uniform(2000, -1, 3, 5), -0.7, 2.3);
    for (const y of got) {
      const q = y / r.scale;
      expect(Math.abs(q - Math.round(q))).to.be.below(1e-3);
      expect(Math.round(q)).to.be.within(r.quantMin - r.zeroPoint, r.quantMax - r.zeroPoint);
    }
  });

  it('has at most 2^bits distinct values (2^bits − 1 narrow) and maps each input to its nearest level', () => {
    const xs = uniform(20000, -2, 2, 11);
    expect(distinct(fq(xs, -1.5, 1.5))).to.be.at.most(256).and.at.least(250);
    expect(distinct(fq(xs, -1.5, 1.5, 8, true))).to.be.at.most(255);
    expect(distinct(fq(xs, -1.5, 1.5, 4))).to.be.at.most(16);
    const r = nudgeRange(-1.5, 1.5);
    const got = fq(xs, -1.5, 1.5);
    xs.forEach((x, i) => {
      const clamped = Math.min(Math.max(x, r.nudgedMin), r.nudgedMax);
      expect(Math.abs(got[i] - clamped)).to.be.at.most(r.scale / 2 + 1e-6);
    });
  });

  it('maps k distinct inputs to at most k distinct outputs', () => {
    const centroids = [-0.8, -0.31, 0, 0.05, 0.4, 0.41, 1.2];
    const xs = Array.from({ length: 700 }, (_, i) => centroids[i % centroids.length]);
    expect(distinct(fq(xs, -1, 1.2))).to.be.at.most(centroids.length);
  });

  it('accepts the range as scalar tensors (e.g. observer variables), same result as numbers', () => {
    const xs = uniform(300, -3, 3, 3);
    const lo = tf.variable(tf.scalar(-2.2), false);
    const hi = tf.variable(tf.scalar(1.7), false);
    expect(Array.from(fq(xs, lo, hi))).to.deep.equal(Array.from(fq(xs, -2.2, 1.7)));
    tf.dispose([lo, hi]);
  });

  it('outputs zeros for the degenerate range min = max = 0 (as TF)', () => {
    expect(Array.from(fq([-1, 0, 2.5], 0, 0))).to.deep.equal([0, 0, 0]);
  });

  it('propagates a NaN range to the output instead of hiding it', () => {
    const lo = tf.scalar(NaN);
    const got = fq([0.5, -0.5], lo, 1);
    expect(got.every((v) => Number.isNaN(v))).to.equal(true);
    lo.dispose();
  });

  it('casts non-float inputs', () => {
    const x = tf.tensor1d([-3, 0, 1, 2], 'int32');
    const y = fakeQuantAsymmetric(x, -2, 2);
    expect(y.dtype).to.equal('float32');
    expect(y.dataSync()[1]).to.equal(0);
    tf.dispose([x, y]);
  });

  it('does not read data back to JS and leaks no tensors', () => {
    const x = tf.tensor2d(uniform(64, -2, 2, 9), [8, 8]);
    const lo = tf.variable(tf.scalar(-1), false);
    const hi = tf.variable(tf.scalar(1), false);
    expectNoLeak(() => {
      withoutReadback(() => tf.tidy(() => fakeQuantAsymmetric(x, lo, hi))).dispose();
      withoutReadback(() => tf.tidy(() => tf.grad((v: tf.Tensor) => fakeQuantAsymmetric(v, lo, hi).sum())(x))).dispose();
      fakeQuantAsymmetric(x, -1, 1).dispose();
    });
    tf.dispose([x, lo, hi]);
  });
});

describe('quantization: fakeQuantAsymmetric gradient (clipped straight-through)', () => {
  function grad(xs: number[], min: number, max: number, dy: number[], opts = {}): number[] {
    return tf.tidy(() => {
      const g = tf.grad((x: tf.Tensor) => fakeQuantAsymmetric(x, min, max, opts))(tf.tensor1d(xs), tf.tensor1d(dy));
      return Array.from(g.dataSync());
    });
  }

  it('is dy inside the nudged range (bounds included) and exactly 0 outside', () => {
    const r = nudgeRange(-1, 1);
    const above = f32(r.nudgedMax + 1e-6);
    const below = f32(r.nudgedMin - 1e-6);
    const xs = [-5, below, r.nudgedMin, -0.5, 0, 0.77, r.nudgedMax, above, -1, 5];
    const dy = [0.1, 0.2, 0.3, -0.4, 0.5, 0.6, -0.7, 0.8, 0.9, 1.1].map(f32);
    expect(grad(xs, -1, 1, dy)).to.deep.equal([0, 0, dy[2], dy[3], dy[4], dy[5], dy[6], 0, 0, 0]);
  });

  it('uses the nudged range, not the raw one: x = -1 is outside [-0.9961, 1.0039], x = 1 inside', () => {
    expect(grad([1, -1, 1.0039], -1, 1, [1, 1, 1])).to.deep.equal([1, 0, 1]);
  });

  it('passes the whole gradient through for the degenerate range (TF)', () => {
    expect(grad([-1, 0, 3], 0, 0, [0.5, 0.25, 2])).to.deep.equal([0.5, 0.25, 2]);
  });

  it('gives 0, not NaN, for an infinite upstream gradient outside the range', () => {
    expect(grad([5, 0], -1, 1, [Infinity, 1])).to.deep.equal([0, 1]);
  });

  it('gives min and max no gradient (they are non-trainable ranges)', () => {
    const x = tf.variable(tf.tensor1d([-3, 0.2, 0.4, 3]));
    const lo = tf.variable(tf.scalar(-1), false);
    const hi = tf.variable(tf.scalar(1), false);
    const { value, grads } = tf.variableGrads(() => fakeQuantAsymmetric(x, lo, hi).sum() as tf.Scalar, [x, lo, hi]);
    expect(grads[lo.name] ?? null).to.equal(null);
    expect(grads[hi.name] ?? null).to.equal(null);
    expect(Array.from(grads[x.name].dataSync())).to.deep.equal([0, 1, 1, 0]);
    tf.dispose([value, grads[x.name], x, lo, hi]);
  });

  it('leaks no tensors through forward and backward', () => {
    const x = tf.tensor1d(uniform(100, -2, 2, 1));
    const v = tf.variable(x);
    expectNoLeak(() => {
      tf.tidy(() => tf.grad((t: tf.Tensor) => fakeQuantAsymmetric(t, -1, 1).square().sum())(x)).dispose();
      const { value, grads } = tf.variableGrads(() => fakeQuantAsymmetric(v, -1, 1).sum() as tf.Scalar, [v]);
      tf.dispose([value, ...Object.values(grads)]);
    });
    tf.dispose([x, v]);
  });
});
