import { expect } from 'chai';
import { fromFloat16Bits, toFloat16Bits } from '../../../plugins/src/export/float16';

describe('float16 conversion', () => {
  it('encodes exact values, rounds to nearest even, keeps subnormals, overflows to infinity', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [65504, 0x7bff], // largest finite
      [65520, 0x7c00], // halfway to the next power: rounds (to even) to ∞
      [1e6, 0x7c00],
      [2 ** -14, 0x0400], // smallest normal
      [2 ** -24, 0x0001], // smallest subnormal
      [2 ** -25, 0x0000], // half of it: ties to even → 0
      [3 * 2 ** -25, 0x0002], // 1.5 ulp: ties to even → 2
      [1 + 2 ** -11, 0x3c00], // halfway between 1 and the next half: even (1)
      [1 + 3 * 2 ** -11, 0x3c02], // halfway, odd below → rounds up
      [0.1, 0x2e66],
      [Infinity, 0x7c00],
    ];
    for (const [value, bits] of cases) expect(toFloat16Bits(value), String(value)).to.equal(bits);
    expect(toFloat16Bits(NaN) & 0x7c00).to.equal(0x7c00);
    expect(toFloat16Bits(NaN) & 0x3ff).to.not.equal(0);
  });

  it('decodes every finite pattern back to itself', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      if ((bits & 0x7c00) === 0x7c00) continue;
      const v = fromFloat16Bits(bits);
      const back = toFloat16Bits(v);
      expect(back === bits || (v === 0 && (back & 0x7fff) === 0), `0x${bits.toString(16)}`).to.equal(true);
    }
    expect(fromFloat16Bits(0x7c00)).to.equal(Infinity);
    expect(Number.isNaN(fromFloat16Bits(0x7e00))).to.equal(true);
  });
});
