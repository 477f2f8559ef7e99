import { CollabError } from '@collabopt/core';

/**
 * Why a TFLite export (or the reading of a .tflite file) failed:
 * - `unsupported-layer`: a layer has no TFLite lowering (or an unsupported configuration);
 * - `missing-activation-range`: int8 export needs an activation range the state does not have;
 * - `weight-grid`: a weight is not on the `int8-grid` the state claims, or the grid cannot be
 *   written as TFLite quantization parameters;
 * - `invariant`: a weight tensor read back from the written bytes does not show an invariant the
 *   session claimed (sparsity, clusters, int8-grid);
 * - `numeric`: a value cannot be represented (NaN/Inf weights, float16 overflow, int32 bias
 *   overflow);
 * - `options`: options that are valid JSON but contradict each other or the model;
 * - `corrupt-file`: bytes that are not a readable TFLite flatbuffer.
 * @group Export: TFLite
 */
export type TfliteExportErrorReason =
  | 'unsupported-layer'
  | 'missing-activation-range'
  | 'weight-grid'
  | 'invariant'
  | 'numeric'
  | 'options'
  | 'corrupt-file';

/**
 * One layer the exporter cannot lower, with the reason.
 * @group Export: TFLite
 */
export interface UnsupportedLayer {
  /** Layer name. */
  readonly layer: string;
  /** tfjs class name, e.g. `LSTM`. */
  readonly className: string;
  /** Why, in words. */
  readonly reason: string;
}

/**
 * Error of the TFLite exporter (code `'tflite-export'`). The message says what was wrong and where
 * (layer, class, weight or tensor name); `reason` is a stable machine-readable kind, and
 * `unsupported` lists every unsupported layer when `reason` is `'unsupported-layer'`.
 * @group Export: TFLite
 */
export class TfliteExportError extends CollabError {
  /** Kind of failure. */
  readonly reason: TfliteExportErrorReason;
  /** For `unsupported-layer`: every layer that cannot be exported (not just the first). */
  readonly unsupported: readonly UnsupportedLayer[];

  /**
   * @param reason kind of failure.
   * @param message what was wrong, where, and how to fix it.
   * @param unsupported the unsupported layers, for `unsupported-layer`.
   */
  constructor(reason: TfliteExportErrorReason, message: string, unsupported: readonly UnsupportedLayer[] = []) {
    super('tflite-export', message);
    this.reason = reason;
    this.unsupported = unsupported;
  }
}
