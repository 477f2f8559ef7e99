import { layerLowerings } from './layerLowerings';

/**
 * Layer classes with a TFLite lowering (derived from the lowering registry).
 * @group Export: TFLite
 */
export const TFLITE_LAYER_CLASSES: readonly string[] = Object.freeze([...layerLowerings.keys()]);
