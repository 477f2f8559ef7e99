/**
 * Node-only (fs). Checks that a tfjs export may be written to a directory, before anything is.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MODEL_JSON } from '@collabopt/core';
import { TfjsExportError } from '../../errors/TfjsExportError';

/** Names a tfjs export writes: `model.json` and the converter's shard names. */
const EXPORT_FILE = new RegExp(`^(${MODEL_JSON.replace('.', '\\.')}|group\\d+-shard\\d+of\\d+\\.bin)$`);

/**
 * Throws unless `dir` may become a tfjs export: it does not exist yet, or it is a directory that
 * holds nothing but an earlier export's files.
 *
 * The directory is written by replacing it as a whole (temp directory + rename), so stale shards of
 * an earlier export never survive next to a new `model.json` — unlike the converter, which writes
 * into the directory and leaves them. Replacing a directory that holds anything else would delete
 * the user's files, and a file or symbolic link in its place would be silently swapped for a
 * directory; both are refused here, naming what is in the way.
 *
 * Synchronous, so the `tfjsExport` plugin can run it when a session is made, before any training.
 *
 * @throws TfjsExportError naming the path and what is wrong with it.
 */
export function assertExportTarget(dir: string): void {
  const target = path.resolve(dir);
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new TfjsExportError(`cannot export the tfjs model to '${dir}': ${(e as Error).message}`);
  }
  if (stat.isSymbolicLink()) {
    throw new TfjsExportError(`cannot export the tfjs model to '${dir}': it is a symbolic link (to '${fs.readlinkSync(target)}'), which the export would replace by a directory; give the real path`);
  }
  if (!stat.isDirectory()) {
    throw new TfjsExportError(
      `cannot export the tfjs model to '${dir}': it exists and is not a directory; the tfjs export is a directory (model.json + weight shards)`,
    );
  }
  const foreign = fs
    .readdirSync(target, { withFileTypes: true })
    .filter((e) => !(e.isFile() && EXPORT_FILE.test(e.name)))
    .map((e) => e.name)
    .sort();
  if (foreign.length > 0) {
    const shown = foreign.slice(0, 5).map((n) => `'${n}'`).join(', ') + (foreign.length > 5 ? `, and ${foreign.length - 5} more` : '');
    throw new TfjsExportError(
      `refusing to export the tfjs model to '${dir}': the export replaces the whole directory, and it holds files an export ` +
        `does not write (${shown}); export into a new or empty directory, or move them away`,
    );
  }
}
