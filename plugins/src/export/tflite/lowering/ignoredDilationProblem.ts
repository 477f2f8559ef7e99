import { pair, type LayerConfig } from './layerConfig';

/**
 * Why a DepthwiseConv2D's dilation cannot be written, or null. tfjs's DepthwiseConv2D layer
 * ignores `dilationRate` (its `call` passes none to the op and its output shape leaves it out),
 * so such a model computes, trains and predicts an undilated convolution while its config says
 * otherwise; writing either form would silently disagree with one of them.
 */
export function ignoredDilationProblem(config: LayerConfig): string | null {
  const [dh, dw] = pair(config['dilationRate'], 1);
  return dh > 1 || dw > 1
    ? `dilationRate [${dh}, ${dw}]: tfjs's DepthwiseConv2D ignores it (computes an undilated convolution), so the model does not compute what its config says; ` +
        'use dilationRate 1 (what tfjs runs), or a SeparableConv2D, whose dilation tfjs applies'
    : null;
}
