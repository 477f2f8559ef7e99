import * as tf from '@tensorflow/tfjs';
import { asymmetricQuantLevels } from './quantLevels';
import { roundHalfAwayFromZero } from './roundHalfAwayFromZero';

/**
 * Bit width and level range of an asymmetric (activation) fake-quant.
 * @group Quantization numerics
 */
export interface AsymmetricQuantOptions {
  /** Bits per value, 2..16. Default 8. */
  readonly numBits?: number;
  /** Use levels [1, 2^numBits − 1] instead of [0, 2^numBits − 1]. Default false. */
  readonly narrowRange?: boolean;
}

/**
 * A range nudged so that real 0 is exactly a level, as TF's `Nudge()` computes it
 * (`core/kernels/fake_quant_ops_functor.h`). All values are float32 values.
 * @group Quantization numerics
 */
export interface NudgedRange {
  /** Lowest representable value, `(quantMin − zeroPoint) · scale`. */
  readonly nudgedMin: number;
  /** Highest representable value, `(quantMax − zeroPoint) · scale`. */
  readonly nudgedMax: number;
  /** Step between levels, `(max − min) / (quantMax − quantMin)`; 0 when degenerate. */
  readonly scale: number;
  /** TF's separately rounded `(quantMax − quantMin) / (max − min)`; 0 when degenerate. */
  readonly invScale: number;
  /** Unsigned level that represents real 0, in [quantMin, quantMax]. */
  readonly zeroPoint: number;
  /**
   * The level offset TF's kernel subtracts, `floor(−nudgedMin · invScale + 0.5)`; equals
   * `zeroPoint − quantMin`. A fake-quant output is `(level − quantZero) · scale`, an integer times
   * `scale`, so real 0 comes out as exactly 0.
   */
  readonly quantZero: number;
  /** Level range used. */
  readonly quantMin: number;
  /** Level range used. */
  readonly quantMax: number;
  /**
   * True when the range has no width (`scale` would be 0, e.g. min = max = 0: an activation that
   * was never non-zero). TF's kernel then outputs zeros and passes the whole gradient through.
   */
  readonly degenerate: boolean;
}

/**
 * {@link NudgedRange} as float32 scalar tensors, for use inside a forward pass.
 * @group Quantization numerics
 */
export interface NudgedRangeTensors {
  /** See {@link NudgedRange.nudgedMin}; 0 when degenerate. */
  readonly nudgedMin: tf.Scalar;
  /** See {@link NudgedRange.nudgedMax}; 0 when degenerate. */
  readonly nudgedMax: tf.Scalar;
  /** See {@link NudgedRange.scale}; 1 when degenerate, so that dividing by it stays finite. */
  readonly scale: tf.Scalar;
  /** See {@link NudgedRange.quantZero}. */
  readonly quantZero: tf.Scalar;
  /** Boolean scalar: see {@link NudgedRange.degenerate}. */
  readonly degenerate: tf.Scalar;
}

const f32 = Math.fround;

function checkNumberRange(fn: string, min: number, max: number): void {
  if (!Number.isFinite(min)) throw new RangeError(`${fn}: min must be a finite number, got ${min}`);
  if (!Number.isFinite(max)) throw new RangeError(`${fn}: max must be a finite number, got ${max}`);
  if (!(min <= max)) throw new RangeError(`${fn}: min must be <= max, got min ${min}, max ${max}`);
}

/**
 * Nudges `[min, max]` exactly as TF's `fake_quant_with_min_max_vars` does, emulating its float32
 * arithmetic step by step with `Math.fround`, so that the result is bit-identical to TF's and to
 * {@link nudgeRangeTensors} (IEEE division/multiplication of float32 operands rounded once to
 * float32 gives the same bits in C++, in tfjs's cpu and wasm kernels and here):
 *
 * 1. `scale = (max − min) / (quantMax − quantMin)`
 * 2. `zeroPointFromMin = quantMin − min / scale`
 * 3. `zeroPoint` = quantMin below, quantMax above, else `std::round` (ties away from zero)
 * 4. `nudgedMin = (quantMin − zeroPoint) · scale`, `nudgedMax = (quantMax − zeroPoint) · scale`
 *
 * The float32 rounding matters: for [−1, 1] at 8 bits, exact arithmetic gives a zero point of
 * 127.5 → 128 and the range [−1.003922, 0.996078], but TF's `scale = fl(2/255)` is slightly large,
 * so `zeroPointFromMin` = 127.49999237 → 127 and the range is [−0.996078, 1.003922]. We follow TF
 * (the TFLite converter, rounding its signed zero point −0.5 away from zero, lands on 127 too).
 *
 * A range that does not contain 0 is shifted to contain it (the width stays). Use this for export
 * and reporting; the training path uses {@link nudgeRangeTensors} so that nothing is read back.
 *
 * Porting note: TF special-cases only min = max = 0; a zero-width range elsewhere (min = max ≠ 0)
 * makes TF's kernel output NaN. Here every zero-width range is degenerate (output 0).
 *
 * @throws RangeError when min or max is not finite or min > max.
 * @group Quantization numerics
 */
export function nudgeRange(min: number, max: number, options: AsymmetricQuantOptions = {}): NudgedRange {
  checkNumberRange('nudgeRange', min, max);
  const { quantMin, quantMax } = asymmetricQuantLevels(options.numBits ?? 8, options.narrowRange ?? false);
  const lo = f32(min);
  const hi = f32(max);
  const levels = quantMax - quantMin;
  const range = f32(hi - lo);
  const scale = f32(range / levels);
  if (!(scale > 0)) {
    return { nudgedMin: 0, nudgedMax: 0, scale: 0, invScale: 0, zeroPoint: quantMin, quantZero: 0, quantMin, quantMax, degenerate: true };
  }
  const invScale = f32(levels / range);
  const zeroPointFromMin = f32(quantMin - f32(lo / scale));
  const zeroPoint =
    zeroPointFromMin < quantMin ? quantMin
    : zeroPointFromMin > quantMax ? quantMax
    : roundHalfAwayFromZero(zeroPointFromMin);
  const nudgedMin = f32((quantMin - zeroPoint) * scale);
  const nudgedMax = f32((quantMax - zeroPoint) * scale);
  const quantZero = Math.floor(f32(f32(-nudgedMin * invScale) + 0.5));
  return { nudgedMin, nudgedMax, scale, invScale, zeroPoint, quantZero, quantMin, quantMax, degenerate: false };
}

function toScalar(fn: string, name: string, v: number | tf.Tensor): tf.Scalar {
  if (typeof v === 'number') return tf.scalar(v, 'float32');
  if (v.size !== 1) {
    throw new RangeError(`${fn}: ${name} must be a scalar (per-tensor range), got a tensor of shape [${v.shape.join(', ')}]`);
  }
  const f = v.dtype === 'float32' ? v : tf.cast(v, 'float32');
  return (f.rank === 0 ? f : tf.reshape(f, [])) as tf.Scalar;
}

/**
 * Validates `min`/`max` as {@link nudgeRangeTensors} documents and turns them into float32 scalar
 * tensors (call inside a tidy).
 * @internal Shared by {@link nudgeRangeTensors} and the training fake-quant.
 */
export function rangeScalars(fn: string, min: number | tf.Tensor, max: number | tf.Tensor): [tf.Scalar, tf.Scalar] {
  if (typeof min === 'number' && typeof max === 'number') checkNumberRange(fn, min, max);
  else {
    if (typeof min === 'number' && !Number.isFinite(min)) throw new RangeError(`${fn}: min must be a finite number, got ${min}`);
    if (typeof max === 'number' && !Number.isFinite(max)) throw new RangeError(`${fn}: max must be a finite number, got ${max}`);
  }
  return [toScalar(fn, 'min', min), toScalar(fn, 'max', max)];
}

/**
 * Steps 1–3 of {@link nudgeRange} on scalar tensors: the width of the range, whether it is
 * degenerate, the step (1 when degenerate, so that dividing by it stays finite) and the unsigned
 * zero point. Call inside a tidy.
 *
 * The zero point is rounded half away from zero as `floor(v) + (v − floor(v) ≥ 0.5)`: `v` is
 * clamped to `[quantMin, quantMax]` first and `quantMin ≥ 0`, so this is exactly
 * {@link roundHalfAwayFromZero} (whose sign handling only matters below 0) in 5 kernels instead
 * of 9 — this runs for every quantized activation at every training step.
 * @internal Shared by {@link nudgeRangeTensors} and the training fake-quant.
 */
export function nudgedGridTensors(
  lo: tf.Scalar,
  hi: tf.Scalar,
  quantMin: number,
  quantMax: number,
): { range: tf.Scalar; degenerate: tf.Scalar; scale: tf.Scalar; zeroPoint: tf.Scalar } {
  const levels = quantMax - quantMin;
  const range = tf.sub(hi, lo);
  const rawScale = tf.div(range, levels);
  // `lessEqual`, not `not(greater)`: a NaN range must stay NaN all the way to the output, where
  // it is loud, instead of becoming a degenerate range whose zeros would hide it.
  const degenerate = tf.lessEqual(rawScale, 0);
  // Substitute 1 where the range is degenerate so that no NaN is computed from a valid range;
  // the forward and the gradient select on `degenerate` instead.
  const scale = tf.where(degenerate, tf.onesLike(rawScale), rawScale);
  const zeroPointFromMin = tf.sub(quantMin, tf.div(lo, scale));
  // Clamping before rounding gives TF's three-way branch: round(quantMin) = quantMin, etc.
  const clamped = tf.clipByValue(zeroPointFromMin, quantMin, quantMax);
  const whole = tf.floor(clamped);
  const zeroPoint = tf.add(whole, tf.cast(tf.greaterEqual(tf.sub(clamped, whole), 0.5), 'float32'));
  return { range, degenerate, scale, zeroPoint } as { range: tf.Scalar; degenerate: tf.Scalar; scale: tf.Scalar; zeroPoint: tf.Scalar };
}

/**
 * {@link nudgeRange} with tensor ops, for the forward pass: `min`/`max` may be the observer's
 * `tf.Variable`s, and nothing is read back to JS. Same operations in the same order, so the
 * results carry the same float32 bits as {@link nudgeRange} on the cpu and wasm backends.
 *
 * The caller owns (and disposes, or tidies) the returned tensors. Numbers are validated like
 * {@link nudgeRange}; tensors cannot be without a read-back, so for tensors min ≤ max is the
 * caller's contract (the range observers guarantee min ≤ 0 ≤ max): a range with min > max is
 * treated as degenerate, and a NaN bound propagates NaN to every output.
 * @group Quantization numerics
 */
export function nudgeRangeTensors(
  min: number | tf.Tensor,
  max: number | tf.Tensor,
  options: AsymmetricQuantOptions = {},
): NudgedRangeTensors {
  const { quantMin, quantMax } = asymmetricQuantLevels(options.numBits ?? 8, options.narrowRange ?? false);
  const levels = quantMax - quantMin;
  const [nudgedMin, nudgedMax, scale, quantZero, degenerate] = tf.tidy(() => {
    const [lo, hi] = rangeScalars('nudgeRangeTensors', min, max);
    const g = nudgedGridTensors(lo, hi, quantMin, quantMax);
    const invScale = tf.div(levels, tf.where(g.degenerate, tf.onesLike(g.range), g.range));
    const zero = tf.zerosLike(g.scale);
    const nMin = tf.where(g.degenerate, zero, tf.mul(tf.sub(quantMin, g.zeroPoint), g.scale));
    const nMax = tf.where(g.degenerate, zero, tf.mul(tf.sub(quantMax, g.zeroPoint), g.scale));
    const qZero = tf.floor(tf.add(tf.mul(tf.neg(nMin), invScale), 0.5));
    return [nMin, nMax, g.scale, qZero, g.degenerate] as tf.Scalar[];
  });
  return { nudgedMin, nudgedMax, scale, quantZero, degenerate };
}
