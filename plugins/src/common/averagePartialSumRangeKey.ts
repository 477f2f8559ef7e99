/**
 * Key of the range of an Average's partial sum `i` (the sum of its first `i + 1` inputs, for
 * `1 ≤ i ≤ n − 2`; an Average of n ≥ 3 inputs is written as a chain of ADDs) in
 * `OptimizationState.activationRanges`, in the style of core's `preActivationRangeKey`. No layer
 * outputs these sums, but in int8 each is a tensor of the file with a grid of its own, so the
 * quantize plugin fake-quantizes there and records them (QAT and calibration), as does
 * `observeActivationRanges`. When a state lacks one, the int8 exporter bounds it from the inputs'
 * ranges and says so in the report (the grid is then one training did not round onto).
 * @group Export: TFLite
 */
export function averagePartialSumRangeKey(layerName: string, i: number): string {
  return `${layerName}:partial${i}`;
}
