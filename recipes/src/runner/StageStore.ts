import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '@collabopt/core';
import type { StageRecord } from './StageRecord';
import { STAGE_FORMAT_VERSION } from './stageHashes';

/** File in a stage directory that marks it complete (written last, atomically). */
export const STAGE_RECORD_FILE = 'stage.json';

/** A complete stage on disk. */
export interface StoredStage {
  /** Absolute path of the stage directory (model, optimization state, int8 file, record). */
  readonly dir: string;
  readonly record: StageRecord;
}

/**
 * The stage directories under an output folder: `<root>/<recipe>/stages/<nn>-<stage>/`, each
 * holding the saved session (`session.save`: model + optimization state), the stage's int8 TFLite
 * file and, written last, `stage.json` ({@link StageRecord}).
 *
 * Finds complete stages by content hash, across recipes: that is both `--resume` (a stage of an
 * interrupted run) and sharing (the same prefix in another recipe). With `reuse: false` stages on
 * disk are ignored and only stages completed through this store are found, so a fresh run still
 * trains a prefix shared by several recipes only once.
 */
export class StageStore {
  /** Absolute output folder. */
  readonly root: string;
  private index: Map<string, StoredStage> | null;

  /** @param reuse whether complete stages already on disk may be used (`--resume`). */
  constructor(root: string, readonly reuse: boolean) {
    this.root = path.resolve(root);
    this.index = reuse ? null : new Map();
  }

  /** The directory of stage `index` of `recipe` (`00-baseline`, `01-prune`, ...). */
  dirFor(recipe: string, index: number, name: string): string {
    return path.join(this.recipeDir(recipe), 'stages', `${String(index).padStart(2, '0')}-${name}`);
  }

  /** `<root>/<recipe>`: the recipe's exports and stages. */
  recipeDir(recipe: string): string {
    return path.join(this.root, recipe);
  }

  /** A complete stage with this content hash, or null. */
  async find(hash: string): Promise<StoredStage | null> {
    const index = await this.loadIndex();
    const found = index.get(hash);
    if (!found) return null;
    // The directory may have been removed or replaced since it was indexed.
    const record = await readStageRecord(found.dir);
    return record?.hash === hash ? { dir: found.dir, record } : null;
  }

  /** Marks `dir` complete: writes its record atomically (last), and indexes it. */
  async complete(dir: string, record: StageRecord): Promise<StoredStage> {
    await writeFileAtomic(path.join(dir, STAGE_RECORD_FILE), new TextEncoder().encode(JSON.stringify(record, null, 1)));
    const stored = { dir: path.resolve(dir), record };
    (await this.loadIndex()).set(record.hash, stored);
    return stored;
  }

  private async loadIndex(): Promise<Map<string, StoredStage>> {
    if (this.index) return this.index;
    const index = new Map<string, StoredStage>();
    for (const recipe of await listDirs(this.root)) {
      const stages = path.join(this.root, recipe, 'stages');
      for (const stage of (await listDirs(stages)).sort()) {
        const dir = path.join(stages, stage);
        const record = await readStageRecord(dir);
        if (record && !index.has(record.hash)) index.set(record.hash, { dir, record });
      }
    }
    this.index = index;
    return index;
  }
}

async function listDirs(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  // Temp and old directories of atomic writes in progress (or killed) are never stages.
  return entries.filter((e) => e.isDirectory() && !/\.(tmp|old)-/.test(e.name)).map((e) => e.name);
}

/**
 * The record of a complete stage directory, or null when the directory is incomplete (no record:
 * the stage was interrupted), unreadable, or written by another runner version.
 */
export async function readStageRecord(dir: string): Promise<StageRecord | null> {
  try {
    const record = JSON.parse(await fs.readFile(path.join(dir, STAGE_RECORD_FILE), 'utf8')) as StageRecord;
    return record?.format === 'collabopt-stage' && record.version === STAGE_FORMAT_VERSION && typeof record.hash === 'string' ? record : null;
  } catch {
    return null;
  }
}
