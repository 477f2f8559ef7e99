/**
 * Activations TFLite fuses into the operator before them (a convolution's or fully connected
 * op's `fused_activation_function`), keyed by tfjs's activation name, with the TFLite name. The
 * one list of them: the quantize plugin quantizes a layer once, after such an activation (also
 * when it is a separate ReLU layer), and the TFLite lowering writes it fused, so the file rounds
 * where training rounded.
 * @group Plugin utilities
 */
export const FUSED_ACTIVATIONS: Readonly<Record<'relu' | 'relu6', 'RELU' | 'RELU6'>> = Object.freeze({
  relu: 'RELU',
  relu6: 'RELU6',
});

/** An activation TFLite fuses into the operator before it. */
export type FusableActivation = keyof typeof FUSED_ACTIVATIONS;

/**
 * Whether `activation` (a tfjs activation name) is fused into the operator before it.
 * @group Plugin utilities
 */
export function isFusableActivation(activation: string | null | undefined): activation is FusableActivation {
  return typeof activation === 'string' && Object.prototype.hasOwnProperty.call(FUSED_ACTIVATIONS, activation);
}
