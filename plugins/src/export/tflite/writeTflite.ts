/**
 * Node-only: writes a TFLite export to disk atomically, with its size report. The browser entry
 * never imports this module (it uses node:zlib through `sizeReport` and the file system).
 */
import type * as tf from '@tensorflow/tfjs';
import { writeFileAtomic, type OptimizationState } from '@collabopt/core';
import { formatCompression, sizeReport, type SizeReport } from '../sizeReport';
import { exportTflite } from './exportTflite';
import type { TfliteExportOptions } from './TfliteExportOptions';
import type { TfliteExportReport } from './TfliteExportReport';

/**
 * What {@link writeTflite} wrote.
 * @group Export: TFLite
 */
export interface TfliteWriteResult {
  /** The path written. */
  readonly path: string;
  /** The export report plus the file's sizes. */
  readonly report: TfliteExportReport & {
    /** Raw and zlib-6 deflated size of the file. */
    readonly size: SizeReport;
    /** The seed's form: `512,032 → 303,997 (40.63%)`. */
    readonly compression: string;
  };
}

/**
 * Exports `model` (see `exportTflite`) and writes the file atomically: the bytes are complete and
 * verified in memory before anything touches the disk, then go to a temp file beside `path` that
 * replaces it by rename. A failed export or write leaves the previous file (or none) and no
 * partial file.
 *
 * @throws what `exportTflite` throws; file-system errors from the write.
 * @group Export: TFLite
 */
export async function writeTflite(
  model: tf.LayersModel,
  path: string,
  options: Partial<TfliteExportOptions> = {},
  state?: OptimizationState,
): Promise<TfliteWriteResult> {
  const { bytes, report } = await exportTflite(model, options, state);
  const size = sizeReport(bytes);
  await writeFileAtomic(path, bytes);
  return { path, report: { ...report, size, compression: formatCompression(size) } };
}
