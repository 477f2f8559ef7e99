/**
 * Activations the exporter can write, as tfjs serialises them in layer configs: linear, the fused
 * ones (`FUSED_ACTIVATIONS`), the fixed-range ones (`FIXED_RANGE_ACTIVATIONS`) and the separate
 * ones (`SEPARATE_ACTIVATIONS`). tfjs's `selu`, `softplus`, `softsign` and `mish` have no TFLite
 * builtin (or no int8 kernel) and are refused.
 * @group Export: TFLite
 */
export const TFLITE_ACTIVATIONS = ['linear', 'relu', 'relu6', 'sigmoid', 'tanh', 'softmax', 'hardSigmoid', 'elu', 'gelu', 'gelu_new', 'swish'] as const;
/** An activation the exporter can write. */
export type ActivationName = (typeof TFLITE_ACTIVATIONS)[number];
