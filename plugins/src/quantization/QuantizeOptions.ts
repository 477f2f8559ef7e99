// Generated from quantizeOptionsSchema.ts by `npm run docs:sync`; do not edit: change the schema and run it again.
import type { Selector } from '@collabopt/core';

/**
 * Options of {@link quantize}.
 * @group Quantization
 */
export interface QuantizeOptions {
  /**
   * `qat`: quantization-aware training (ranges follow training batches with a moving average);
   * `ptq`: post-training quantization (ranges are the min/max over `session.calibrate()` batches —
   * a recipe stage's `calibrate` — and nothing trains).
   * @defaultValue `"qat"`
   */
  readonly mode?: 'qat' | 'ptq';
  /**
   * Weight bit width (symmetric narrow range); the int8 exporter needs 8.
   * @defaultValue `8`
   */
  readonly weightBits?: number;
  /**
   * Activation bit width (asymmetric).
   * @defaultValue `8`
   */
  readonly activationBits?: number;
  /**
   * EMA decay of the QAT range observers (TFMOT's).
   * @defaultValue `0.999`
   */
  readonly activationDecay?: number;
  /**
   * How QAT ranges start: `firstBatch` takes the first training batch's min/max, then averages;
   * `tfmot` starts at ±6 as TFMOT does (needs many steps to converge at decay 0.999).
   * @defaultValue `"firstBatch"`
   */
  readonly rangeInit?: 'firstBatch' | 'tfmot';
  /**
   * Layers to quantize (weights and activations); the others stay float. Selectors as in `prune`.
   * Omitted: every layer.
   */
  readonly include?: readonly Selector[];
  /** Layers to leave float; wins over `include`. Omitted: none. */
  readonly exclude?: readonly Selector[];
}
