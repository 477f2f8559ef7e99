import { expect } from 'chai';
import { base64ToBytes, bytesToBase64, packBits, unpackBits } from '../../../core/src/util/base64';

describe('base64', () => {
  it('encodes as the standard alphabet with padding (same as Buffer) for every length remainder', () => {
    for (let n = 0; n <= 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 13) & 255);
      const text = bytesToBase64(bytes);
      expect(text, `length ${n}`).to.equal(Buffer.from(bytes).toString('base64'));
      expect(Array.from(base64ToBytes(text)), `length ${n}`).to.deep.equal(Array.from(bytes));
    }
  });

  it('refuses malformed text, saying what and where', () => {
    expect(() => base64ToBytes('abc')).to.throw(/invalid base64: length 3 is not a multiple of 4/);
    expect(() => base64ToBytes('ab!d')).to.throw(/invalid base64: character "!" at 2/);
    expect(() => base64ToBytes('a=bc')).to.throw(/invalid base64: character "=" at 1/);
    expect(() => base64ToBytes('abé=')).to.throw(/invalid base64: character "é" at 2/);
  });
});

describe('packBits / unpackBits', () => {
  it('round-trips 0/1 masks of any length, 8 values per byte, least significant bit first', () => {
    const mask = [1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1];
    const packed = packBits(mask);
    expect(Array.from(packed)).to.deep.equal([0b00111001, 0b00000101]);
    expect(Array.from(unpackBits(packed, mask.length))).to.deep.equal(mask);
    expect(Array.from(unpackBits(packBits([]), 0))).to.deep.equal([]);
  });

  it('treats every nonzero value as kept', () => {
    expect(Array.from(unpackBits(packBits([0.5, -2, 0]), 3))).to.deep.equal([1, 1, 0]);
  });

  it('refuses a byte count that does not fit the length', () => {
    expect(() => unpackBits(new Uint8Array(1), 9)).to.throw(/bit-packed mask has 1 bytes, expected 2 for 9 values/);
  });
});
