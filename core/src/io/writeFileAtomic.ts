/**
 * Atomic single-file write for Node (never imported by the browser entry): the bytes go to a
 * temp file beside the target, which then replaces it by rename. A failure leaves the old file
 * (or none) and no partial file under the target name.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Writes `bytes` to `file` atomically: to a temp file beside it, then renamed over it. Creates
 * missing parent directories. On failure the previous file (or none) remains and the temp file is
 * removed. Node only.
 * @group Saving and loading
 */
export async function writeFileAtomic(file: string, bytes: Uint8Array | string): Promise<void> {
  const target = path.resolve(file);
  await fs.mkdir(path.dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await fs.writeFile(tmp, bytes);
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}
