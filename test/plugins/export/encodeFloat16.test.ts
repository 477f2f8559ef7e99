import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { encodeFloat16 } from '../../../plugins/src/export/float16';

/** tfjs-core's own float16 decoder, reached through a float16 weights-manifest entry. */
function decodeHalf(bits: Uint16Array): Float32Array {
  const spec = { name: 'h', shape: [bits.length], dtype: 'float32' as const, quantization: { dtype: 'float16' as const } };
  const t = tf.io.decodeWeights(bits.slice().buffer, [spec]).h;
  const out = t.dataSync() as Float32Array;
  t.dispose();
  return out;
}

const ALL = Uint16Array.from({ length: 65536 }, (_, i) => i);
const isNaNHalf = (h: number) => (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;

describe('export/tfjs: encodeFloat16', () => {
  const decoded = decodeHalf(ALL);

  it('round-trips every float16 bit pattern through tfjs-core’s decoder (incl. ±0, subnormals, ±Infinity)', () => {
    const back = encodeFloat16(decoded);
    for (let h = 0; h < 65536; h++) {
      if (isNaNHalf(h)) expect(isNaNHalf(back[h]), `NaN pattern ${h}`).to.equal(true);
      else expect(back[h], `pattern 0x${h.toString(16)}`).to.equal(h);
    }
  });

  it('rounds to nearest, ties to even, between every pair of neighbouring halves', () => {
    // Positive finite halves 0x0000..0x7bff, plus the overflow step to Infinity (0x7c00).
    const mids: number[] = [];
    const expected: number[] = [];
    for (let h = 0; h < 0x7c00; h++) {
      const a = decoded[h];
      // Above 65504 the next step would be 2^16, which float16 represents as Infinity.
      const b = h + 1 === 0x7c00 ? 65536 : decoded[h + 1];
      // Midpoints of halves need 12 significant bits: exact in float32.
      const mid = Math.fround((a + b) / 2);
      expect(mid).to.equal((a + b) / 2);
      const below = new Float32Array([mid]);
      new Int32Array(below.buffer)[0] -= 1;
      const above = new Float32Array([mid]);
      new Int32Array(above.buffer)[0] += 1;
      mids.push(mid, below[0], above[0], -mid);
      const even = h % 2 === 0 ? h : h + 1;
      expected.push(even, h, h + 1, 0x8000 | even);
    }
    const got = encodeFloat16(Float32Array.from(mids));
    for (let i = 0; i < mids.length; i++) expect(got[i], `value ${mids[i]}`).to.equal(expected[i]);
  });

  it('turns values beyond the range into ±Infinity and NaN into NaN, as numpy does', () => {
    const got = encodeFloat16(Float32Array.from([65504, 65519.99, 65520, -1e6, 3.4e38, NaN, Infinity]));
    expect(Array.from(got.subarray(0, 6))).to.deep.equal([0x7bff, 0x7bff, 0x7c00, 0xfc00, 0x7c00, got[5]]);
    expect(isNaNHalf(got[5])).to.equal(true);
    expect(got[6]).to.equal(0x7c00);
  });
});
