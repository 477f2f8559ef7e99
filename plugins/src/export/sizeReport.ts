/**
 * Artifact sizes the way the seed's tables measure "compression": raw bytes and DEFLATE bytes at
 * zlib level 6 (what `zip`/gzip use by default), Node-only (zlib).
 */
import { deflateSync } from 'node:zlib';

/**
 * Raw and deflated size of one artifact.
 * @group Export
 */
export interface SizeReport {
  /** Bytes as written. */
  readonly raw: number;
  /** Bytes after DEFLATE at zlib level 6. */
  readonly deflated: number;
  /** `1 − deflated / raw`, e.g. 0.4063 for 40.63%. */
  readonly reduction: number;
}

/**
 * Measures `bytes` (one file, or the concatenation of a model's files).
 * @group Export
 */
export function sizeReport(bytes: Uint8Array): SizeReport {
  const deflated = deflateSync(bytes, { level: 6 }).byteLength;
  return { raw: bytes.byteLength, deflated, reduction: bytes.byteLength === 0 ? 0 : 1 - deflated / bytes.byteLength };
}

/**
 * The seed's format: `512,032 → 303,997 (40.63%)`.
 * @group Export
 */
export function formatCompression(report: SizeReport): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return `${n(report.raw)} → ${n(report.deflated)} (${(report.reduction * 100).toFixed(2)}%)`;
}
