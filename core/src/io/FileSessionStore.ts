/**
 * File-system {@link SessionStore} for Node (never imported by the browser entry).
 *
 * Writes are atomic at the directory level ({@link writeDirectoryAtomic}).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { StateError } from '../errors/StateError';
import type { SessionStore } from './SessionStore';
import { writeDirectoryAtomic } from './writeDirectoryAtomic';

/**
 * The {@link SessionStore} of the Node entry, installed when `@collabopt/core` is imported in
 * Node: `session.save(dir)` writes a directory atomically (temp directory + rename, see
 * {@link writeDirectoryAtomic}); reads fail with a {@link StateError} naming the missing path.
 * @group Saving and loading
 */
export class FileSessionStore implements SessionStore {
  async write(dir: string, files: ReadonlyMap<string, Uint8Array>): Promise<void> {
    await writeDirectoryAtomic(dir, files);
  }

  async read(dir: string, names: readonly string[], optional: readonly string[] = []): Promise<Map<string, Uint8Array>> {
    const out = new Map<string, Uint8Array>();
    const target = path.resolve(dir);
    try {
      const st = await fs.stat(target);
      if (!st.isDirectory()) throw new StateError(`${dir} is not a directory`);
    } catch (e) {
      if (e instanceof StateError) throw e;
      throw new StateError(`${dir} does not exist`);
    }
    // Every file model.json names is also read, so sharded models load too.
    const wanted = new Set(names);
    for (const name of [...names, ...optional]) {
      try {
        out.set(name, new Uint8Array(await fs.readFile(path.join(target, name))));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT' && !wanted.has(name)) continue;
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new StateError(`${dir}/${name} is missing`);
        throw e;
      }
    }
    const modelJson = out.get('model.json');
    if (modelJson) {
      try {
        const manifest = JSON.parse(new TextDecoder().decode(modelJson)).weightsManifest as { paths: string[] }[] | undefined;
        for (const p of (manifest ?? []).flatMap((g) => g.paths)) {
          if (out.has(p)) continue;
          try {
            out.set(p, new Uint8Array(await fs.readFile(path.join(target, p))));
          } catch {
            throw new StateError(`${dir}/${p} (named in model.json) is missing`);
          }
        }
      } catch (e) {
        if (e instanceof StateError) throw e;
        // Unparseable model.json: modelFromFiles reports it with context.
      }
    }
    return out;
  }
}
