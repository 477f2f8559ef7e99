/**
 * An inclusive range of integer quantization levels.
 * @group Quantization numerics
 */
export interface QuantLevels {
  /** Smallest integer level. */
  readonly quantMin: number;
  /** Largest integer level. */
  readonly quantMax: number;
}

function checkBits(fn: string, numBits: number, lo: number, hi: number): void {
  if (!Number.isInteger(numBits) || numBits < lo || numBits > hi) {
    throw new RangeError(`${fn}: numBits must be an integer in [${lo}, ${hi}], got ${String(numBits)}`);
  }
}

/**
 * Unsigned levels of TF's `fake_quant_with_min_max_*` ops: `[narrowRange ? 1 : 0, 2^numBits - 1]`.
 *
 * `numBits` may be 2..16, the range TF's op accepts; int8 export only uses 8 (see
 * {@link activationQuantParams}, which shifts these levels into signed storage).
 * @group Quantization numerics
 */
export function asymmetricQuantLevels(numBits = 8, narrowRange = false): QuantLevels {
  checkBits('asymmetricQuantLevels', numBits, 2, 16);
  return { quantMin: narrowRange ? 1 : 0, quantMax: 2 ** numBits - 1 };
}

/**
 * Signed narrow levels of symmetric weight quantization: `[-(2^(numBits-1) - 1), 2^(numBits-1) - 1]`
 * (int8: [-127, 127]). The most negative two's-complement value is never used, so that the grid is
 * symmetric around an exact zero with zero point 0, as TFLite requires for int8 weights.
 *
 * `numBits` may be 2..8: fewer than 8 bits emulates a coarser grid inside int8 storage.
 * @group Quantization numerics
 */
export function symmetricQuantLevels(numBits = 8): QuantLevels {
  checkBits('symmetricQuantLevels', numBits, 2, 8);
  const quantMax = 2 ** (numBits - 1) - 1;
  return { quantMin: -quantMax, quantMax };
}
