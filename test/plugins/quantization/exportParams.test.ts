import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { activationQuantParams } from '../../../plugins/src/quantization/activationQuantParams';
import { fakeQuantAsymmetric } from '../../../plugins/src/quantization/fakeQuantAsymmetric';
import { nudgeRange } from '../../../plugins/src/quantization/nudgeRange';
import { quantizeBias } from '../../../plugins/src/quantization/quantizeBias';
import { quantizeWeightsSymmetric } from '../../../plugins/src/quantization/quantizeWeightsSymmetric';
import { roundHalfAwayFromZero } from '../../../plugins/src/quantization/roundHalfAwayFromZero';
import { f32, uniform } from './helpers';

/** What a TFLite int8 kernel does with (scale, zeroPoint): quantize, clamp, dequantize. */
function tfliteInt8(x: number, p: { scale: number; zeroPoint: number; quantMin: number; quantMax: number }): number {
  const q = Math.min(p.quantMax, Math.max(p.quantMin, p.zeroPoint + roundHalfAwayFromZero(x / p.scale)));
  return p.scale * (q - p.zeroPoint);
}

describe('quantization: activationQuantParams', () => {
  it('golden [-1, 1]: the fake-quant\'s float32 scale and its nudged zero point in int8 (127 − 128 = −1)', () => {
    const p = activationQuantParams(-1, 1);
    expect(p).to.deep.equal({
      scale: f32(2 / 255),
      zeroPoint: -1,
      quantMin: -128,
      quantMax: 127,
      nudgedMin: f32(-127 * f32(2 / 255)),
      nudgedMax: f32(128 * f32(2 / 255)),
    });
    expect(p.scale * (p.quantMin - p.zeroPoint)).to.be.closeTo(p.nudgedMin, 1e-7);
    expect(p.scale * (p.quantMax - p.zeroPoint)).to.be.closeTo(p.nudgedMax, 1e-7);
  });

  it('ReLU-like ranges: [0, 6] has zero point −128; [-6, 0] has 127; narrow starts at −127', () => {
    expect(activationQuantParams(0, 6)).to.include({ zeroPoint: -128, scale: f32(6 / 255) });
    expect(activationQuantParams(-6, 0)).to.include({ zeroPoint: 127 });
    expect(activationQuantParams(0, 6, { narrowRange: true })).to.include({ quantMin: -127, quantMax: 127, zeroPoint: -127 });
  });

  it('describes the same grid the fake-quant trains with: TFLite int8 arithmetic reproduces its outputs', () => {
    const ranges: Array<[number, number]> = [[-1, 1], [0, 6], [-0.37, 2.9], [-5.5, 0.25], [-123.4, 56.7], [0.2, 3]];
    ranges.forEach(([min, max], k) => {
      const p = activationQuantParams(min, max);
      const xs = uniform(1000, min * 1.2 - 0.5, max * 1.2 + 0.5, 60 + k);
      const t = tf.tensor1d(xs);
      const y = fakeQuantAsymmetric(t, min, max);
      const fq = y.dataSync();
      let compared = 0;
      xs.forEach((x, i) => {
        const level = x / p.scale;
        // Exact ties (and 1-ulp neighbours) may round differently (TF: up; TFLite: away from zero).
        if (Math.abs(Math.abs(level - Math.trunc(level)) - 0.5) < 1e-4) return;
        expect(fq[i], `x = ${x}, range [${min}, ${max}]`).to.be.closeTo(tfliteInt8(x, p), p.scale * 1e-3);
        compared++;
      });
      expect(compared).to.be.greaterThan(990);
      tf.dispose([t, y]);
    });
  });

  it('keeps real 0 exactly representable', () => {
    for (const [min, max] of [[-1, 1], [-0.37, 2.9], [0, 6], [-7, -1], [1, 3]] as Array<[number, number]>) {
      const p = activationQuantParams(min, max);
      expect(Number.isInteger(p.zeroPoint) && p.zeroPoint >= p.quantMin && p.zeroPoint <= p.quantMax).to.equal(true);
      expect(tfliteInt8(0, p)).to.equal(0);
    }
  });

  it('degenerate range: scale 1 and zero point −128 (the TFLite converter\'s choice), 0 stays 0', () => {
    const p = activationQuantParams(0, 0);
    expect(p).to.include({ scale: 1, zeroPoint: -128, quantMin: -128, quantMax: 127 });
    expect(tfliteInt8(0, p)).to.equal(0);
  });

  it('supports other bit widths: 4 bits shifts by 8', () => {
    const p = activationQuantParams(-1, 1, { numBits: 4 });
    const r = nudgeRange(-1, 1, { numBits: 4 });
    expect(p).to.include({ quantMin: -8, quantMax: 7, zeroPoint: r.zeroPoint - 8, scale: r.scale });
  });

  it('rejects invalid ranges, naming the argument', () => {
    expect(() => activationQuantParams(2, 1)).to.throw(RangeError, /min must be <= max, got min 2, max 1/);
    expect(() => activationQuantParams(-1, NaN)).to.throw(RangeError, /max must be a finite number, got NaN/);
  });
});

describe('quantization: quantizeBias', () => {
  it('per channel: scale_c = inputScale · weightScale_c (float32), q = round(b / scale_c)', () => {
    const inputScale = f32(6 / 255);
    const weightScales = Float32Array.from([0.01, 0.002, 0.05]);
    const bias = [0.5, -0.0371, 1e-7];
    const { q, scales } = quantizeBias(bias, inputScale, weightScales);
    const want = Array.from(weightScales, (w) => f32(inputScale * w));
    expect(Array.from(scales)).to.deep.equal(want);
    expect(Array.from(q)).to.deep.equal(bias.map((b, i) => roundHalfAwayFromZero(f32(b) / want[i])));
    expect(q).to.be.instanceOf(Int32Array);
    q.forEach((v, i) => expect(Math.abs(v * scales[i] - bias[i])).to.be.at.most(scales[i] / 2 + 1e-12));
  });

  it('per tensor: one scale for every element', () => {
    const { q, scales } = quantizeBias(tf.tensor1d([0.25, -0.25, 0]), 0.5, 0.1);
    expect(scales.length).to.equal(1);
    expect(scales[0]).to.equal(f32(0.5 * 0.1));
    expect(Array.from(q)).to.deep.equal([5, -5, 0]);
  });

  it('matches the scales of quantizeWeightsSymmetric, including an all-zero (pruned) channel', () => {
    const w = tf.tensor2d([[0.5, 0, -0.1], [-0.25, 0, 0.3]]);
    const { scales, values } = quantizeWeightsSymmetric(w, { granularity: { kind: 'perAxis', axis: -1 } });
    const b = quantizeBias([0.01, 0.2, -0.03], f32(1 / 255), scales);
    expect(b.scales.length).to.equal(3);
    expect(Array.from(b.q).every((v) => Number.isFinite(v))).to.equal(true);
    expect(b.q[1]).to.equal(roundHalfAwayFromZero(f32(0.2) / f32(f32(1 / 255) * f32(1 / 127))));
    tf.dispose([w, values]);
  });

  it('ties round away from zero', () => {
    expect(Array.from(quantizeBias([0.25, -0.25, 0.75], 1, 0.5).q)).to.deep.equal([1, -1, 2]);
  });

  it('throws on int32 overflow by default, naming the element; clamps like TFLite on request', () => {
    const bias = [1, -1, 0];
    expect(() => quantizeBias(bias, 1e-6, 1e-6)).to.throw(RangeError, /bias\[0\] = 1 .* outside int32/);
    const { q } = quantizeBias(bias, 1e-6, 1e-6, { onOverflow: 'clamp' });
    expect(Array.from(q)).to.deep.equal([2 ** 31 - 1, -(2 ** 31 - 1), 0]);
  });

  it('rejects bad inputs with errors naming the argument and value', () => {
    expect(() => quantizeBias([1], 0, 1)).to.throw(RangeError, /inputScale must be a finite number > 0, got 0/);
    expect(() => quantizeBias([1, 2], 1, [1, 2, 3])).to.throw(RangeError, /weightScales must have length 1 .* or 2 .* got length 3/);
    expect(() => quantizeBias([1, 2], 1, [1, -2])).to.throw(RangeError, /weightScales\[1\] must be a finite number > 0, got -2/);
    expect(() => quantizeBias([1, NaN], 1, 1)).to.throw(RangeError, /bias\[1\] is NaN/);
    expect(() => quantizeBias([1], 1, 1, { onOverflow: 'wrap' as 'clamp' })).to.throw(RangeError, /onOverflow .* got wrap/);
    const b2 = tf.zeros([2, 2]);
    expect(() => quantizeBias(b2, 1, 1)).to.throw(RangeError, /bias must be a rank-1 tensor, got shape \[2, 2\]/);
    b2.dispose();
  });
});
