import { TFLITE_ACTIVATIONS } from './TFLITE_ACTIVATIONS';
import { activationOf, type LayerConfig } from './layerConfig';

/** Why the layer's `activation` cannot be written, or null. */
export function activationProblem(config: LayerConfig): string | null {
  const act = activationOf(config);
  return (TFLITE_ACTIVATIONS as readonly string[]).includes(act) ? null : `activation '${act}'; supported activations: ${TFLITE_ACTIVATIONS.join(', ')}`;
}
