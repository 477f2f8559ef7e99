/**
 * Atomic directory write for Node (never imported by the browser entry): files go to a fresh
 * sibling temp directory, which then replaces `dir` by rename. A crash or error leaves either the
 * old directory or the new one — never a mix, never a partial file under the target name — and
 * stale files of an earlier write do not survive.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Replaces directory `dir` with exactly `files` (name → bytes), atomically: they are written into
 * a fresh sibling temp directory that is renamed over `dir`. Refuses a `dir` that exists and is not
 * a directory, and file names with path separators or a leading dot. Node only.
 * @group Saving and loading
 */
export async function writeDirectoryAtomic(dir: string, files: ReadonlyMap<string, Uint8Array>): Promise<void> {
  const target = path.resolve(dir);
  for (const name of files.keys()) {
    if (!name || name.includes('/') || name.includes('\\') || name.startsWith('.')) throw new Error(`invalid file name '${name}'`);
  }
  const existing = await fs.lstat(target).catch(() => null);
  if (existing && !existing.isDirectory()) {
    throw new Error(`'${dir}' exists and is not a directory; refusing to replace it`);
  }
  const parent = path.dirname(target);
  const createdParent = (await fs.lstat(parent).catch(() => null)) === null;
  await fs.mkdir(parent, { recursive: true });
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const tmp = `${target}.tmp-${tag}`;
  const old = `${target}.old-${tag}`;
  await fs.mkdir(tmp);
  try {
    for (const [name, bytes] of files) await fs.writeFile(path.join(tmp, name), bytes);
    let hadOld = false;
    if (existing) {
      await fs.rename(target, old);
      hadOld = true;
    }
    try {
      await fs.rename(tmp, target);
    } catch (e) {
      if (hadOld) await fs.rename(old, target);
      throw e;
    }
    if (hadOld) await fs.rm(old, { recursive: true, force: true });
  } catch (e) {
    await fs.rm(tmp, { recursive: true, force: true });
    // Leave no folder behind that only this failed write created (best effort, only if empty).
    if (createdParent) await fs.rmdir(parent).catch(() => undefined);
    throw e;
  }
}
