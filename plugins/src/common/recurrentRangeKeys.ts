import { preActivationRangeKey } from '@collabopt/core';

/**
 * The range keys of a recurrent layer's inner tensors (see {@link recurrentRangeKeys}).
 * @group Export: TFLite
 */
export interface RecurrentRangeKeys {
  /** Every step's input projection `x·W + b` (one FULLY_CONNECTED over the whole sequence). */
  readonly projection: string;
  /** The recurrent product `h·U` of a step. */
  readonly recurrent: string;
  /** The sum before the activation (`x·W + b + h·U`), core's `preActivationRangeKey`. */
  readonly preActivation: string;
}

/**
 * Keys of the ranges inside an int8 SimpleRNN in `OptimizationState.activationRanges`, in the
 * style of core's `preActivationRangeKey`: the int8 file rounds onto a grid at each of these
 * tensors (one grid for all steps) and its state onto TANH's / LOGISTIC's fixed grid, so the
 * quantize plugin fake-quantizes at the same places (`simpleRnnForward`) and records them, as
 * `observeActivationRanges` does.
 * @group Export: TFLite
 */
export function recurrentRangeKeys(layerName: string): RecurrentRangeKeys {
  return { projection: `${layerName}:input_projection`, recurrent: `${layerName}:recurrent`, preActivation: preActivationRangeKey(layerName) };
}
