/**
 * What a runner needs to know about a plugin to drive its stage (DESIGN.md §9), declared by the
 * plugin so recipe checks and the recipe runner never name plugins.
 * @group Plugins
 */
export interface PluginMetadata {
  /**
   * Whether a stage with this plugin must train (`'required'`: e.g. QAT learns its ranges from
   * training batches), must not (`'forbidden'`: post-training quantization), or either.
   */
  readonly training: 'required' | 'forbidden' | 'optional';
  /** Whether a stage with this plugin must calibrate on representative data (`session.calibrate()`, the recipe's `calibrate`). */
  readonly calibration: boolean;
  /**
   * Whether, while the session runs, the model computes what the deployed model will (fake-quant
   * forward hooks): its `predict()` is then the emulated inference model, and `finish()` leaves
   * activation ranges in the state for an integer export.
   */
  readonly emulatesInference: boolean;
  /**
   * Words for recipe errors: `label` names this configuration (default: the plugin name), the
   * reasons say why training is required or forbidden, and why calibration is needed.
   */
  readonly explain?: {
    /** Names the configuration in recipe errors, e.g. `quantize in "ptq" mode`. Default: the plugin name. */
    readonly label?: string;
    /** Why the plugin must (or must not) train, completing "<label> …" in a recipe error. */
    readonly training?: string;
    /** Why the stage needs `calibrate`, completing "<label> …" in a recipe error. */
    readonly calibration?: string;
  };
}

/**
 * Metadata of a plugin that declares none: trains or not, needs no calibration, emulates nothing.
 * @group Plugins
 */
export const DEFAULT_PLUGIN_METADATA: PluginMetadata = Object.freeze({ training: 'optional', calibration: false, emulatesInference: false });
