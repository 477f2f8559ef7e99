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
 * Activations whose int8 output grid is fixed whatever range training saw (LOGISTIC and SOFTMAX:
 * [0, 1) in 256 steps; TANH: [−1, 1) in 256 steps, fixed by TFLite's kernels; `hardSigmoid`:
 * [0, 1) in 256 steps, fixed by the exporter), keyed by tfjs's activation name. The one list of
 * them: the quantize plugin fake-quantizes *before* these (TFMOT's `_PRE_QUANT_ACTIVATIONS`) and
 * rounds their output onto the grid, calibration records the value before them, and the TFLite
 * lowering writes them as separate operators whose output is on the grid.
 *
 * `hardSigmoid` (tfjs: `clip(0.2·x + 0.5, 0, 1)`; TFLite has no operator for it) is written as one
 * 1×1 DEPTHWISE_CONV_2D with tap 0.2 and bias 0.5, whose int8 output on this grid saturates
 * exactly where the clip does (level −128 is 0, level 127 is 255/256, where the fake-quant
 * clamps 1 too), so the file rounds once, as training does; the MINIMUM with 1 that float files
 * need is a no-op on it.
 * @group Plugin utilities
 */
export const FIXED_RANGE_ACTIVATIONS: Readonly<Record<'sigmoid' | 'softmax' | 'tanh' | 'hardSigmoid', FixedActivationGrid>> = Object.freeze({
  sigmoid: { scale: 1 / 256, zeroPoint: -128 },
  softmax: { scale: 1 / 256, zeroPoint: -128 },
  tanh: { scale: 1 / 128, zeroPoint: 0 },
  hardSigmoid: { scale: 1 / 256, zeroPoint: -128 },
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
