/**
 * IEEE 754 binary16 conversion (Node 20 has no `Float16Array`), shared by the TFLite and tfjs
 * exporters. Rounds to nearest, ties to even — as the TF converter (Eigen's half conversion) and
 * numpy's `astype(np.float16)` (the tfjs converter) do; subnormals are kept and values beyond
 * ±65504 round to ±∞, NaN stays NaN. Works on the float32 bit pattern, so the only rounding is the
 * one to half precision (a detour through float64 arithmetic could round twice).
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * The binary16 bit pattern nearest to `value` (ties to even).
 * @group Export
 */
export function toFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf / NaN (quiet)
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow → ∞
  if (e <= 0) {
    // Subnormal half (or zero): shift the full 24-bit significand into place, rounding to even.
    if (e < -10) return sign;
    const m = mant | 0x800000;
    const shift = 14 - e;
    const half = m >>> shift;
    const rest = m & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rest > mid || (rest === mid && (half & 1)) ? 1 : 0));
  }
  const half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (and reaches ∞ at the top).
  return sign | (half + (rest > 0x1000 || (rest === 0x1000 && (half & 1)) ? 1 : 0));
}

/**
 * The value of a binary16 bit pattern.
 * @group Export
 */
export function fromFloat16Bits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/**
 * Half-precision bit patterns of `values` (see {@link toFloat16Bits}); callers that must not write
 * ±∞ or NaN check the result (as `tfjsModelFiles` does).
 * @group Export
 */
export function encodeFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = toFloat16Bits(values[i]);
  return out;
}
