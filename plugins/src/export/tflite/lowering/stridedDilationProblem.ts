import { pair, type LayerConfig } from './layerConfig';

/** Why a convolution's strides and dilation cannot be written together, or null. */
export function stridedDilationProblem(config: LayerConfig): string | null {
  const [dh, dw] = pair(config['dilationRate'], 1);
  const [sh, sw] = pair(config['strides'], 1);
  return (dh > 1 || dw > 1) && (sh > 1 || sw > 1) ? 'both strides and dilation above 1 (TF does not define it)' : null;
}
