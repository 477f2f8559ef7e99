import { nudgeRange, type AsymmetricQuantOptions } from './nudgeRange';

/**
 * Signed integer quantization parameters of an activation tensor (TFLite int8 convention).
 * @group Quantization numerics
 */
export interface ActivationQuantParams {
  /** Real value of one step, a float32 value (> 0). */
  readonly scale: number;
  /** Signed level that represents real 0, in [quantMin, quantMax]. */
  readonly zeroPoint: number;
  /** Lowest signed level (int8: −128, narrow −127). */
  readonly quantMin: number;
  /** Highest signed level (int8: 127). */
  readonly quantMax: number;
  /** Lowest representable real value, `scale · (quantMin − zeroPoint)` (the fake-quant's nudged min). */
  readonly nudgedMin: number;
  /** Highest representable real value (the fake-quant's nudged max). */
  readonly nudgedMax: number;
}

/**
 * The export parameters of an activation whose training used
 * `fakeQuantAsymmetric(x, min, max, options)`: real = `scale · (q − zeroPoint)` with q in signed
 * storage (int8 for 8 bits). They describe the very grid the fake-quant used: the same float32
 * scale ({@link nudgeRange}) and the nudged unsigned zero point shifted by `2^(numBits−1)` into
 * signed storage (uint8 level 128 ↔ int8 level 0), so the exported TFLite model's levels are the
 * fake-quant's levels.
 *
 * (The TFLite converter would derive the same parameters from these min/max, in double precision;
 * its scale can differ from TF's float32 one in the last bit. Writing these parameters directly
 * keeps export and training on one grid.)
 *
 * A degenerate range (min = max, e.g. an activation that was always 0) gets scale 1 and
 * zeroPoint = quantMin, the TFLite converter's choice for that case: TFLite needs a positive
 * scale, and real 0 stays exactly representable.
 *
 * @param min the observed lower end (read it with `observer.read()`).
 * @param max the observed upper end.
 * @throws RangeError for non-finite or inverted bounds or a bit width outside 2..16.
 * @group Quantization numerics
 */
export function activationQuantParams(min: number, max: number, options: AsymmetricQuantOptions = {}): ActivationQuantParams {
  const r = nudgeRange(min, max, options);
  const offset = 2 ** ((options.numBits ?? 8) - 1);
  const quantMin = r.quantMin - offset;
  const quantMax = r.quantMax - offset;
  if (r.degenerate) {
    return { scale: 1, zeroPoint: quantMin, quantMin, quantMax, nudgedMin: 0, nudgedMax: 0 };
  }
  return { scale: r.scale, zeroPoint: r.zeroPoint - offset, quantMin, quantMax, nudgedMin: r.nudgedMin, nudgedMax: r.nudgedMax };
}
