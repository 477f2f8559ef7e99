/** Node-only: inspects a .tflite file on disk, with its deflate size. */
import { promises as fs } from 'node:fs';
import { formatCompression, sizeReport, type SizeReport } from '../../sizeReport';
import { inspectTflite, type TfliteInspection } from './inspectTflite';

/**
 * {@link TfliteInspection} of a file, with its raw and zlib-6 deflated sizes.
 * @group Export: TFLite
 */
export interface TfliteFileInspection extends TfliteInspection {
  /** The path that was read. */
  readonly path: string;
  /** Raw and zlib-6 deflated size of the file. */
  readonly size: SizeReport;
  /** The seed's form: `512,032 → 303,997 (40.63%)`. */
  readonly compression: string;
}

/**
 * Reads and inspects a .tflite file — what `collabopt inspect model.tflite` prints (with
 * `formatTfliteInspection`).
 * @throws TfliteExportError (`corrupt-file`) for a file that is not a TFLite model; file-system errors.
 * @group Export: TFLite
 */
export async function inspectTfliteFile(path: string): Promise<TfliteFileInspection> {
  const bytes = new Uint8Array(await fs.readFile(path));
  const size = sizeReport(bytes);
  return { ...inspectTflite(bytes), path, size, compression: formatCompression(size) };
}
