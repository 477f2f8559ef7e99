/**
 * Activations the exporter can write, as tfjs serialises them in layer configs.
 * @group Export: TFLite
 */
export const TFLITE_ACTIVATIONS = ['linear', 'relu', 'relu6', 'sigmoid', 'tanh', 'softmax'] as const;
/** An activation the exporter can write. */
export type ActivationName = (typeof TFLITE_ACTIVATIONS)[number];
