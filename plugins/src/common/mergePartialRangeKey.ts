/**
 * Key of the range of partial result `i` of an element-wise merge of n ≥ 3 inputs (Add, Multiply,
 * Average: the sum or product of its first `i + 1` inputs, `1 ≤ i ≤ n − 2`) in
 * `OptimizationState.activationRanges`, in the style of core's `preActivationRangeKey`. The int8
 * file writes such a merge as a chain of binary ADD/MUL operators, so each partial result is a
 * tensor with a grid of its own though no layer outputs it: the quantize plugin fake-quantizes
 * there and records it (QAT and calibration), as does `observeActivationRanges`. When a state
 * lacks one, the int8 exporter bounds it from the inputs' ranges and says so in the report (the
 * grid is then one training did not round onto).
 * @group Export: TFLite
 */
export function mergePartialRangeKey(layerName: string, i: number): string {
  return `${layerName}:partial${i}`;
}
