import type { SizeReport } from '../sizeReport';

/**
 * Measures an artifact's raw and DEFLATE size (zlib level 6, the seed's "compression"). In Node,
 * pass `sizeReport` from `../sizeReport` (zlib); the browser-safe default is `measureDeflate`.
 * @group Export: tfjs
 */
export type SizeMeasure = (bytes: Uint8Array) => SizeReport | Promise<SizeReport>;
