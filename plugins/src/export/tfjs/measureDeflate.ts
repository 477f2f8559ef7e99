import type { SizeReport } from '../sizeReport';
import { TfjsExportError } from '../../errors/TfjsExportError';

/**
 * Raw and DEFLATE size of `bytes` without Node's zlib, through the web-standard
 * `CompressionStream('deflate')` (browsers; Node ≥ 18 has it too). That stream is zlib's format at
 * zlib's default level, 6 — the level the seed measures with — in Node (which runs `zlib.createDeflate()`
 * with default options) and in the browsers' zlib-based implementations, so the numbers match
 * `sizeReport` from `../sizeReport`; the tests check that in Node.
 *
 * @throws TfjsExportError where no `CompressionStream` exists; pass your own `SizeMeasure` there.
 * @group Export: tfjs
 */
export async function measureDeflate(bytes: Uint8Array): Promise<SizeReport> {
  if (typeof CompressionStream !== 'function') {
    throw new TfjsExportError(
      'cannot measure the deflate size: this environment has no CompressionStream; pass a SizeMeasure (in Node: sizeReport)',
    );
  }
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate')).getReader();
  let deflated = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    deflated += value.byteLength;
  }
  const raw = bytes.byteLength;
  return { raw, deflated, reduction: raw === 0 ? 0 : 1 - deflated / raw };
}
