/** Node-only: inspects a .onnx file on disk, with its deflate size. */
import { promises as fs } from 'node:fs';
import { formatCompression, sizeReport, type SizeReport } from '../../sizeReport';
import { inspectOnnx, type OnnxInspection } from './inspectOnnx';

/**
 * {@link OnnxInspection} of a file, with its raw and zlib-6 deflated sizes.
 * @group Export: ONNX
 */
export interface OnnxFileInspection extends OnnxInspection {
  /** Where the file was written. */
  readonly path: string;
  /** Bytes written, raw and deflated. */
  readonly size: SizeReport;
  /** The seed's form: `512,032 → 303,997 (40.63%)`. */
  readonly compression: string;
}

/**
 * Reads and inspects a .onnx file — what `collabopt inspect model.onnx` prints (with `formatOnnxInspection`).
 * @throws OnnxExportError (`corrupt-file`) for a file that is not an ONNX model; file-system errors.
 * @group Export: ONNX
 */
export async function inspectOnnxFile(path: string): Promise<OnnxFileInspection> {
  const bytes = new Uint8Array(await fs.readFile(path));
  const size = sizeReport(bytes);
  return { ...inspectOnnx(bytes), path, size, compression: formatCompression(size) };
}
