/**
 * Key of the range of a SeparableConv2D's depthwise half (the value between its depthwise and its
 * 1x1 convolution) in `OptimizationState.activationRanges`, in the style of core's
 * `preActivationRangeKey`. TFLite has no separable convolution: the exporter writes
 * DEPTHWISE_CONV_2D then CONV_2D, and in int8 the tensor between them needs a grid of its own
 * (TFMOT's SeparableConvQuantize transform puts a fake-quant there for the same reason).
 *
 * The quantize plugin fake-quantizes there and records it (QAT and calibration), as does
 * `observeActivationRanges`. When a state lacks it (one made before it was recorded), the int8
 * exporter bounds the range from the layer's input range and depthwise kernel (no value can fall
 * outside, but the grid is coarser than training's and the file drifts from the fake-quant
 * model) and says so in the report.
 * @group Export: TFLite
 */
export function separableDepthwiseRangeKey(layerName: string): string {
  return `${layerName}:depthwise`;
}
