/**
 * Node-only: writes an ONNX export to disk atomically, with its size report.
 */
import type * as tf from '@tensorflow/tfjs';
import { writeFileAtomic, type OptimizationState } from '@collabopt/core';
import { formatCompression, sizeReport, type SizeReport } from '../sizeReport';
import { exportOnnx } from './exportOnnx';
import type { OnnxExportOptions } from './OnnxExportOptions';
import type { OnnxExportReport } from './OnnxExportReport';

/**
 * What {@link writeOnnx} wrote.
 * @group Export: ONNX
 */
export interface OnnxWriteResult {
  /** Where the file was written. */
  readonly path: string;
  /** The export report plus the file's sizes. */
  readonly report: OnnxExportReport & {
    /** Raw and zlib-6 deflated size of the file. */
    readonly size: SizeReport;
    /** The seed's form: `512,032 → 303,997 (40.63%)`. */
    readonly compression: string;
  };
}

/**
 * Exports `model` (see `exportOnnx`) and writes the file atomically: built and verified in memory,
 * then a temp file beside `path` replaces it by rename, so a failed export leaves no partial file.
 * @throws what `exportOnnx` throws; file-system errors from the write.
 * @group Export: ONNX
 */
export async function writeOnnx(model: tf.LayersModel, path: string, options: Partial<OnnxExportOptions> = {}, state?: OptimizationState): Promise<OnnxWriteResult> {
  const { bytes, report } = exportOnnx(model, options, state);
  const size = sizeReport(bytes);
  await writeFileAtomic(path, bytes);
  return { path, report: { ...report, size, compression: formatCompression(size) } };
}
