/**
 * How TFLite computes one of the {@link SEPARATE_ACTIVATIONS}.
 * @group Plugin utilities
 */
export interface SeparateActivation {
  /**
   * A fixed-range activation (a key of `FIXED_RANGE_ACTIVATIONS`) that TFLite computes, and rounds
   * onto its fixed grid, *inside* this one, or null. swish is `x · σ(x)`: LOGISTIC (output on the
   * 1/256 grid) then MUL, so the emulation rounds σ(x) there too.
   */
  readonly inner: 'sigmoid' | null;
}

/**
 * Activations TFLite computes as an operator of their own after the layer's main operator (never
 * fused), whose int8 output takes a range of its own (observed, as any layer output), keyed by
 * tfjs's activation name: `elu` (ELU), `gelu` (GELU, erf form), `gelu_new` (GELU, tanh
 * approximation), `swish` (LOGISTIC + MUL). The one list of them: when such an activation is a
 * Dense/Conv layer's `activation`, the quantize plugin fake-quantizes the value before it
 * (`preActivationRangeKey`) *and* the layer's output, calibration records both, and the TFLite
 * lowering writes the separate operator(s) between the two tensors.
 * @group Plugin utilities
 */
export const SEPARATE_ACTIVATIONS: Readonly<Record<'elu' | 'gelu' | 'gelu_new' | 'swish', SeparateActivation>> = Object.freeze({
  elu: { inner: null },
  gelu: { inner: null },
  gelu_new: { inner: null },
  swish: { inner: 'sigmoid' },
});

/** An activation TFLite computes as a separate operator with an output range of its own. */
export type SeparateActivationName = keyof typeof SEPARATE_ACTIVATIONS;

/**
 * Whether `activation` (a tfjs activation name) is one of the {@link SEPARATE_ACTIVATIONS}.
 * @group Plugin utilities
 */
export function isSeparateActivation(activation: string | null | undefined): activation is SeparateActivationName {
  return typeof activation === 'string' && Object.prototype.hasOwnProperty.call(SEPARATE_ACTIVATIONS, activation);
}
