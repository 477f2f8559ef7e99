import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { fakeQuantWeightsSymmetric } from '../../../plugins/src/quantization/fakeQuantWeightsSymmetric';
import { nudgeRange } from '../../../plugins/src/quantization/nudgeRange';
import { quantizeWeightsSymmetric } from '../../../plugins/src/quantization/quantizeWeightsSymmetric';
import { roundHalfAwayFromZero } from '../../../plugins/src/quantization/roundHalfAwayFromZero';
import { symmetricWeightScales } from '../../../plugins/src/quantization/symmetricWeightScales';
import { weightChannelLayout, type WeightGranularity } from '../../../plugins/src/quantization/weightChannelLayout';
import { channelValues, distinct, expectNoLeak, f32, rng, uniform, withoutReadback } from './helpers';

const PER_TENSOR: WeightGranularity = { kind: 'perTensor' };
const LAST_AXIS: WeightGranularity = { kind: 'perAxis', axis: -1 };
const DEPTHWISE: WeightGranularity = { kind: 'depthwise' };

/** Quantizes and returns plain arrays, disposing the values tensor. */
function quantize(w: tf.Tensor, granularity: WeightGranularity, numBits = 8) {
  const r = quantizeWeightsSymmetric(w, { granularity, numBits });
  const values = r.values.dataSync() as Float32Array;
  r.values.dispose();
  return { values, scales: r.scales, q: r.q };
}

/** The golden, from its definition: round(w / (max|w| / qmax)) · scale per channel (i % channels). */
function golden(w: Float32Array, channels: number, qmax = 127): Float32Array {
  const maxAbs = new Array<number>(channels).fill(0);
  w.forEach((v, i) => (maxAbs[i % channels] = Math.max(maxAbs[i % channels], Math.abs(v))));
  const scales = maxAbs.map((m) => f32(m / qmax));
  return Float32Array.from(w, (v, i) => {
    const s = scales[i % channels];
    return f32(roundHalfAwayFromZero(f32(v / s)) * s);
  });
}

describe('quantization: symmetric weight quantization', () => {
  it('golden: per tensor, values equal round(w / (max|w| / 127)) · scale, bit for bit', () => {
    const data = uniform(16 * 10, -0.8, 0.6, 21);
    const w = tf.tensor2d(data, [16, 10]);
    const { values, scales, q } = quantize(w, PER_TENSOR);
    const maxAbs = Math.max(...Array.from(data, Math.abs));
    expect(Array.from(scales)).to.deep.equal([f32(maxAbs / 127)]);
    expect(Array.from(values)).to.deep.equal(Array.from(golden(data, 1)));
    expect(Array.from(q)).to.deep.equal(Array.from(data, (v) => roundHalfAwayFromZero(f32(v / scales[0]))));
    expect(Math.max(...Array.from(q, Math.abs))).to.equal(127);
    w.dispose();
  });

  it('golden: m = 0.5 gives scale 1/254 and the same grid as TF\'s nudged narrow fake-quant over ±m', () => {
    const data = Float32Array.from([-0.5, -0.25, -0.1, 0, 0.0123, 0.3, 0.5]);
    const w = tf.tensor1d(data);
    const { values, scales } = quantize(w, PER_TENSOR);
    const r = nudgeRange(-0.5, 0.5, { narrowRange: true });
    expect(scales[0]).to.equal(r.scale);
    expect(r.zeroPoint).to.equal(128);
    expect(Array.from(values)).to.deep.equal(Array.from(golden(data, 1)));
    w.dispose();
  });

  it('Conv2D [h, w, in, out]: one scale per output channel (last axis), each max|w_c| / 127', () => {
    const data = uniform(3 * 3 * 4 * 8, -1, 1, 3);
    // Give each output channel a different magnitude so a per-tensor scale would be wrong.
    data.forEach((_, i) => (data[i] = f32(data[i] * (1 + (i % 8)))));
    const w = tf.tensor4d(data, [3, 3, 4, 8]);
    const { values, scales } = quantize(w, LAST_AXIS);
    expect(scales.length).to.equal(8);
    for (let c = 0; c < 8; c++) {
      expect(scales[c]).to.equal(f32(Math.max(...channelValues(data, 8, c).map(Math.abs)) / 127));
    }
    expect(Array.from(values)).to.deep.equal(Array.from(golden(data, 8)));
    w.dispose();
  });

  it('DepthwiseConv2D multiplier 1 [h, w, in, 1]: one scale per input channel (not one per tensor, TFMOT #808)', () => {
    const data = uniform(3 * 3 * 6, -1, 1, 4);
    data.forEach((_, i) => (data[i] = f32(data[i] * (1 + (i % 6)))));
    const w = tf.tensor4d(data, [3, 3, 6, 1]);
    const { values, scales } = quantize(w, DEPTHWISE);
    expect(scales.length).to.equal(6);
    expect(weightChannelLayout([3, 3, 6, 1], DEPTHWISE).channelCount).to.equal(6);
    expect(Array.from(values)).to.deep.equal(Array.from(golden(data, 6)));
    w.dispose();
  });

  it('DepthwiseConv2D multiplier 2 [h, w, in, 2]: in·2 scales, channel i·2 + m is slice [:, :, i, m]', () => {
    const [h, wd, inC, mult] = [3, 3, 3, 2];
    const data = uniform(h * wd * inC * mult, -1, 1, 5);
    data.forEach((_, i) => (data[i] = f32(data[i] * (1 + (i % (inC * mult))))));
    const w = tf.tensor4d(data, [h, wd, inC, mult]);
    const { values, scales } = quantize(w, DEPTHWISE);
    expect(scales.length).to.equal(inC * mult);
    const arr = w.arraySync() as number[][][][];
    for (let i = 0; i < inC; i++) {
      for (let m = 0; m < mult; m++) {
        let maxAbs = 0;
        for (let y = 0; y < h; y++) for (let x = 0; x < wd; x++) maxAbs = Math.max(maxAbs, Math.abs(arr[y][x][i][m]));
        expect(scales[i * mult + m], `channel (${i}, ${m})`).to.equal(f32(maxAbs / 127));
      }
    }
    expect(Array.from(values)).to.deep.equal(Array.from(golden(data, inC * mult)));
    // TFMOT's per-last-axis split would give only `mult` ranges:
    expect(weightChannelLayout([h, wd, inC, mult], LAST_AXIS).channelCount).to.equal(mult);
    w.dispose();
  });

  it('Dense [in, out] per tensor: a single scale', () => {
    const w = tf.randomUniform([32, 10], -1, 1, 'float32', 6);
    expect(quantize(w, PER_TENSOR).scales.length).to.equal(1);
    const s = symmetricWeightScales(w);
    expect(s.shape).to.deep.equal([]);
    tf.dispose([w, s]);
  });

  it('per axis along a non-last axis (e.g. Conv2DTranspose [h, w, out, in], axis 2)', () => {
    const data = uniform(2 * 2 * 3 * 5, -2, 2, 8);
    const w = tf.tensor4d(data, [2, 2, 3, 5]);
    const { scales } = quantize(w, { kind: 'perAxis', axis: 2 });
    expect(scales.length).to.equal(3);
    const arr = w.arraySync() as number[][][][];
    for (let o = 0; o < 3; o++) {
      let m = 0;
      arr.forEach((a) => a.forEach((b) => b[o].forEach((v) => (m = Math.max(m, Math.abs(v))))));
      expect(scales[o]).to.equal(f32(m / 127));
    }
    const s = symmetricWeightScales(w, { granularity: { kind: 'perAxis', axis: 2 } });
    expect(s.shape).to.deep.equal([1, 1, 3, 1]);
    tf.dispose([w, s]);
  });

  it('all-zero channel: scale 1/127 (positive, finite), q and values exactly 0, other channels unaffected', () => {
    const data = uniform(4 * 4, -1, 1, 9);
    for (let i = 2; i < data.length; i += 4) data[i] = 0; // channel 2 of 4 fully pruned
    const w = tf.tensor2d(data, [4, 4]);
    const { values, scales, q } = quantize(w, LAST_AXIS);
    expect(scales[2]).to.equal(f32(1 / 127));
    scales.forEach((s) => expect(Number.isFinite(s) && s > 0).to.equal(true));
    channelValues(values, 4, 2).forEach((v) => expect(Object.is(v, 0)).to.equal(true));
    channelValues(q, 4, 2).forEach((v) => expect(v).to.equal(0));
    const g = golden(data, 4);
    [0, 1, 3].forEach((c) => expect(channelValues(values, 4, c)).to.deep.equal(channelValues(g, 4, c)));
    // An all-zero tensor per tensor, too.
    const z = tf.zeros([3, 3]);
    const zq = quantize(z, PER_TENSOR);
    expect(Array.from(zq.scales)).to.deep.equal([f32(1 / 127)]);
    expect(Array.from(zq.values).every((v) => Object.is(v, 0))).to.equal(true);
    tf.dispose([w, z]);
  });

  it('4-bit emulation: levels in [-7, 7], at most 15 distinct values per channel', () => {
    const data = uniform(5 * 5 * 2 * 6, -1, 1, 10);
    const w = tf.tensor4d(data, [5, 5, 2, 6]);
    const { values, q, scales } = quantize(w, LAST_AXIS, 4);
    expect(Math.max(...Array.from(q, Math.abs))).to.equal(7);
    for (let c = 0; c < 6; c++) {
      expect(distinct(channelValues(values, 6, c))).to.be.at.most(15);
      expect(scales[c]).to.equal(f32(Math.max(...channelValues(data, 6, c).map(Math.abs)) / 7));
    }
    expect(Array.from(values)).to.deep.equal(Array.from(golden(data, 6, 7)));
    w.dispose();
  });

  it('8 bits: at most 255 distinct values per tensor or channel; 2..8 bits: at most 2^bits − 1', () => {
    const data = uniform(4000, -3, 3, 12);
    const w = tf.tensor2d(data, [400, 10]);
    const pt = quantize(w, PER_TENSOR);
    expect(distinct(pt.values)).to.be.at.most(255).and.at.least(250);
    const pc = quantize(w, LAST_AXIS);
    for (let c = 0; c < 10; c++) expect(distinct(channelValues(pc.values, 10, c))).to.be.at.most(255);
    for (const bits of [2, 3, 5, 6, 7]) {
      expect(distinct(quantize(w, PER_TENSOR, bits).values), `${bits} bits`).to.be.at.most(2 ** bits - 1);
    }
    w.dispose();
  });

  it('preserves exact zeros: a pruned weight stays exactly 0 (sparsity survives QAT)', () => {
    const r = rng(13);
    const data = Float32Array.from({ length: 3 * 3 * 8 * 16 }, () => (r() < 0.6 ? 0 : f32(r() * 2 - 1)));
    const w = tf.tensor4d(data, [3, 3, 8, 16]);
    for (const g of [PER_TENSOR, LAST_AXIS]) {
      const { values, q } = quantize(w, g);
      data.forEach((v, i) => {
        if (v === 0) {
          expect(Object.is(values[i], 0), `element ${i}`).to.equal(true);
          expect(q[i]).to.equal(0);
        }
      });
    }
    const fq = fakeQuantWeightsSymmetric(w, { granularity: LAST_AXIS });
    const fqv = fq.dataSync();
    data.forEach((v, i) => v === 0 && expect(Object.is(fqv[i], 0)).to.equal(true));
    tf.dispose([w, fq]);
  });

  it('maps k distinct values to at most k distinct values (clusters survive), per tensor and per channel', () => {
    const centroids = [-0.71, -0.2, 0, 0.013, 0.0131, 0.35, 0.9];
    const r = rng(14);
    const data = Float32Array.from({ length: 3 * 3 * 4 * 5 }, () => centroids[Math.floor(r() * centroids.length)]);
    const w = tf.tensor4d(data, [3, 3, 4, 5]);
    expect(distinct(quantize(w, PER_TENSOR).values)).to.be.at.most(distinct(data));
    const pc = quantize(w, LAST_AXIS);
    for (let c = 0; c < 5; c++) {
      expect(distinct(channelValues(pc.values, 5, c))).to.be.at.most(distinct(channelValues(data, 5, c)));
    }
    w.dispose();
  });

  it('re-quantizing quantized weights keeps every level (the projection is stable step after step)', () => {
    const data = uniform(3 * 3 * 4 * 8, -0.3, 0.5, 15);
    const w = tf.tensor4d(data, [3, 3, 4, 8]);
    const first = quantizeWeightsSymmetric(w, { granularity: LAST_AXIS });
    const second = quantize(first.values, LAST_AXIS);
    expect(Array.from(second.q)).to.deep.equal(Array.from(first.q));
    // The scale is recomputed from 127·scale, which float32 may round by an ulp, never more.
    first.scales.forEach((s, c) => expect(Math.abs(second.scales[c] - s)).to.be.at.most(s * 2 ** -22));
    tf.dispose([w, first.values]);
  });

  it('fake-quant values are bit-identical to the export values', () => {
    const cases: Array<[number[], WeightGranularity, number]> = [
      [[16, 10], PER_TENSOR, 8],
      [[3, 3, 4, 8], LAST_AXIS, 8],
      [[3, 3, 3, 2], DEPTHWISE, 8],
      [[5, 5, 2, 6], LAST_AXIS, 4],
    ];
    cases.forEach(([shape, granularity, numBits], k) => {
      const w = tf.randomNormal(shape, 0, 0.3, 'float32', 40 + k);
      const exported = quantizeWeightsSymmetric(w, { granularity, numBits });
      const fq = fakeQuantWeightsSymmetric(w, { granularity, numBits });
      expect(Array.from(fq.dataSync())).to.deep.equal(Array.from(exported.values.dataSync()));
      tf.dispose([w, exported.values, fq]);
    });
  });

  it('has an identity straight-through gradient (including the largest weight of each channel)', () => {
    const w = tf.tensor2d([[0.5, -0.2], [-0.31, 0.9], [0.05, -0.9]]);
    const dy = tf.tensor2d([[0.1, -2], [3, 0.25], [-0.5, 7]]);
    const g = tf.grad((x: tf.Tensor) => fakeQuantWeightsSymmetric(x, { granularity: LAST_AXIS }))(w, dy);
    expect(Array.from(g.dataSync())).to.deep.equal(Array.from(dy.dataSync()));
    // Through a variable as the training loop sees it:
    const v = tf.variable(w);
    const { value, grads } = tf.variableGrads(() => fakeQuantWeightsSymmetric(v).mul(dy).sum() as tf.Scalar, [v]);
    expect(Array.from(grads[v.name].dataSync())).to.deep.equal(Array.from(dy.dataSync()));
    tf.dispose([w, dy, g, v, value, grads[v.name]]);
  });

  it('fake-quant does not read data back and leaks no tensors; export leaks nothing but its values', () => {
    const w = tf.randomNormal([3, 3, 4, 8], 0, 1, 'float32', 16);
    expectNoLeak(() => {
      withoutReadback(() => fakeQuantWeightsSymmetric(w, { granularity: LAST_AXIS })).dispose();
      withoutReadback(() => fakeQuantWeightsSymmetric(w, { granularity: DEPTHWISE })).dispose();
      withoutReadback(() => tf.tidy(() => tf.grad((x: tf.Tensor) => fakeQuantWeightsSymmetric(x).sum())(w))).dispose();
      quantizeWeightsSymmetric(w, { granularity: LAST_AXIS }).values.dispose();
    });
    w.dispose();
  });

  it('rejects NaN/∞ weights on export, naming the element', () => {
    const w = tf.tensor1d([0.1, NaN, 0.2]);
    expect(() => quantizeWeightsSymmetric(w)).to.throw(RangeError, /weights\[1\] .* is NaN/);
    const w2 = tf.tensor1d([0.1, 0.2, -Infinity]);
    expect(() => quantizeWeightsSymmetric(w2)).to.throw(RangeError, /weights\[2\] .* is -Infinity/);
    tf.dispose([w, w2]);
  });

  it('keeps NaN visible in the training fake-quant', () => {
    const w = tf.tensor1d([0.1, NaN, 0.2]);
    const y = fakeQuantWeightsSymmetric(w);
    expect(Number.isNaN(y.dataSync()[1])).to.equal(true);
    tf.dispose([w, y]);
  });

  it('rejects bad granularities and bit widths with clear errors', () => {
    expect(() => weightChannelLayout([3, 4], { kind: 'perAxis', axis: 2 })).to.throw(RangeError, /axis must be an integer in \[-2, 1\] .* got 2/);
    expect(() => weightChannelLayout([3, 4], DEPTHWISE)).to.throw(RangeError, /depthwise .* got shape \[3, 4\]/);
    expect(() => weightChannelLayout([0, 4], PER_TENSOR)).to.throw(RangeError, /empty/);
    const w = tf.ones([2, 2]);
    expect(() => fakeQuantWeightsSymmetric(w, { numBits: 9 })).to.throw(RangeError, /numBits .* got 9/);
    expect(() => quantizeWeightsSymmetric(w, { numBits: 1 })).to.throw(RangeError, /numBits .* got 1/);
    w.dispose();
  });
});
