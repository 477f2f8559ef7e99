/**
 * IEEE 754 half-precision bit patterns of `values`, rounded to nearest, ties to even — what numpy's
 * `astype(np.float16)` gives the tfjs converter, and what tfjs-core's float16 decoder reads back.
 *
 * Values beyond the float16 range become ±Infinity and NaN stays NaN, as in numpy; callers that
 * must not write those check the result (as `tfjsModelFiles` does).
 *
 * Works on the float32 bit pattern, so the only rounding is the one to half precision (a detour
 * through float64 arithmetic could round twice).
 */
export function encodeFloat16(values: Float32Array): Uint16Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < bits.length; i++) out[i] = float16Bits(bits[i]);
  return out;
}

function float16Bits(x: number): number {
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  const mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0);
  // Rebias from float32 (127) to float16 (15).
  const e = exponent - 112;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Below 2^-25 everything rounds to (signed) zero; 2^-25 itself is a tie and goes to even (0).
    if (e < -10) return sign;
    // Subnormal: the implicit leading 1 becomes explicit and the value is shifted into 10 bits.
    const m = mantissa | 0x800000;
    const shift = 14 - e;
    let half = m >>> shift;
    const rest = m & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && (half & 1) === 1)) half++;
    // A carry out of the 10 mantissa bits lands in the exponent field: the smallest normal, correctly.
    return sign | half;
  }
  let half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half++;
  // A carry may ripple into the exponent, up to 0x7c00 (Infinity): that is the correct rounding.
  return sign | half;
}
