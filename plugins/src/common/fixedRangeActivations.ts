/**
 * The int8 output grid an integer runtime fixes for an activation, whatever range training saw.
 * @group Plugin utilities
 */
export interface FixedActivationGrid {
  /** Real value of one int8 step. */
  readonly scale: number;
  /** int8 level of real 0. */
  readonly zeroPoint: number;
}

/**
 * Activations whose int8 output grid TFLite's kernels fix (LOGISTIC and SOFTMAX: [0, 1) in 256
 * steps; TANH: [−1, 1) in 256 steps), keyed by tfjs's activation name. The one list of them:
 * the quantize plugin fake-quantizes *before* these (TFMOT's `_PRE_QUANT_ACTIVATIONS`), calibration
 * records the value before them, and the TFLite lowering writes them as separate operators.
 *
 * `hardSigmoid` is not here: TFLite has no kernel for it that fixes a grid (and the exporter
 * refuses it), so its output is quantized like any other activation's.
 * @group Plugin utilities
 */
export const FIXED_RANGE_ACTIVATIONS: Readonly<Record<'sigmoid' | 'softmax' | 'tanh', FixedActivationGrid>> = Object.freeze({
  sigmoid: { scale: 1 / 256, zeroPoint: -128 },
  softmax: { scale: 1 / 256, zeroPoint: -128 },
  tanh: { scale: 1 / 128, zeroPoint: 0 },
});

/** An activation with a fixed int8 output grid. */
export type FixedRangeActivation = keyof typeof FIXED_RANGE_ACTIVATIONS;

/**
 * Whether `activation` (a tfjs activation name) has an output grid fixed by the runtime.
 * @group Plugin utilities
 */
export function isFixedRangeActivation(activation: string | null | undefined): activation is FixedRangeActivation {
  return typeof activation === 'string' && Object.prototype.hasOwnProperty.call(FIXED_RANGE_ACTIVATIONS, activation);
}
