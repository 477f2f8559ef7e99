import { CollabError } from '@collabopt/core';

/**
 * Why an ONNX export (or the reading of a .onnx file) failed:
 * - `invariant`: a kernel read back from the written bytes does not show an invariant the session
 *   claimed (sparsity, clusters, int8-grid, or a custom one);
 * - `corrupt-file`: bytes that are not a readable ONNX model, or a model this reader does not know.
 *
 * Layer support, activation ranges, weight grids and bias overflow are decided by the operator
 * graph the ONNX and TFLite exporters share; those failures are `TfliteExportError`s with their
 * `reason`.
 * @group Export: ONNX
 */
export type OnnxExportErrorReason = 'invariant' | 'corrupt-file';

/**
 * Error of the ONNX exporter (code `'onnx-export'`). The message names the weight, the
 * initializer and what does not hold.
 * @group Export: ONNX
 */
export class OnnxExportError extends CollabError {
  /** Kind of failure. */
  readonly reason: OnnxExportErrorReason;

  /**
   * @param reason kind of failure.
   * @param message what was wrong and where.
   */
  constructor(reason: OnnxExportErrorReason, message: string) {
    super('onnx-export', message);
    this.reason = reason;
  }
}
