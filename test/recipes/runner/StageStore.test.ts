import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { STAGE_RECORD_FILE, StageStore, readStageRecord } from '../../../recipes/src/runner/StageStore';
import { STAGE_FORMAT_VERSION } from '../../../recipes/src/runner/stageHashes';
import type { StageRecord } from '../../../recipes/src/runner/StageRecord';

/** Only what the store reads of a record: format, version and hash (plus a stage name to tell them apart). */
const record = (hash: string, stage = 'prune', extra: object = {}) =>
  ({ format: 'collabopt-stage', version: STAGE_FORMAT_VERSION, hash, stage, ...extra }) as unknown as StageRecord;

/** A stage directory as a run leaves it: files of its own, and the record only when complete. */
async function stageDir(dir: string, rec: object | string | null): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'model.json'), '{}');
  if (rec !== null) await fs.writeFile(path.join(dir, STAGE_RECORD_FILE), typeof rec === 'string' ? rec : JSON.stringify(rec));
}

describe('StageStore', () => {
  let root: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'collabopt-stagestore-'));
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('lays stages out as <root>/<recipe>/stages/<nn>-<stage>, with an absolute root', () => {
    const store = new StageStore(path.relative(process.cwd(), root), false);
    expect(store.root).to.equal(root);
    expect(store.recipeDir('pqat')).to.equal(path.join(root, 'pqat'));
    expect(store.dirFor('pqat', 0, 'baseline')).to.equal(path.join(root, 'pqat', 'stages', '00-baseline'));
    expect(store.dirFor('pqat', 12, 'qat')).to.equal(path.join(root, 'pqat', 'stages', '12-qat'));
  });

  it('complete writes stage.json last and atomically (no temp file left); find then returns it', async () => {
    const store = new StageStore(root, false);
    const dir = store.dirFor('r', 1, 'prune');
    await stageDir(dir, null);
    expect(await store.find('h1')).to.equal(null);
    const stored = await store.complete(dir, record('h1'));
    expect(stored).to.deep.equal({ dir, record: record('h1') });
    expect((await fs.readdir(dir)).sort()).to.deep.equal(['model.json', STAGE_RECORD_FILE]);
    expect(JSON.parse(await fs.readFile(path.join(dir, STAGE_RECORD_FILE), 'utf8'))).to.deep.equal(record('h1'));
    expect(await store.find('h1')).to.deep.equal({ dir, record: record('h1') });
    expect(await store.find('other')).to.equal(null);
  });

  it('reuse: false ignores complete stages already on disk, but finds what it completed itself (one prefix shared by recipes trains once)', async () => {
    await stageDir(path.join(root, 'old', 'stages', '01-prune'), record('h1'));
    const fresh = new StageStore(root, false);
    expect(await fresh.find('h1')).to.equal(null);
    const dir = fresh.dirFor('a', 1, 'prune');
    await stageDir(dir, null);
    await fresh.complete(dir, record('h2'));
    expect((await fresh.find('h2'))!.dir).to.equal(dir);
  });

  it('reuse: true finds complete stages of any recipe by hash (resume and sharing)', async () => {
    await stageDir(path.join(root, 'a', 'stages', '00-baseline'), record('base', 'baseline'));
    await stageDir(path.join(root, 'b', 'stages', '01-cluster'), record('clu', 'cluster'));
    const store = new StageStore(root, true);
    expect((await store.find('base'))!.dir).to.equal(path.join(root, 'a', 'stages', '00-baseline'));
    expect((await store.find('clu'))!.record).to.deep.equal(record('clu', 'cluster'));
    expect(await store.find('nope')).to.equal(null);
  });

  it('the same hash in two recipes is found in one of them (recipes are read in directory order, which the store does not sort)', async () => {
    await stageDir(path.join(root, 'b', 'stages', '00-baseline'), record('base', 'baseline', { from: 'b' }));
    await stageDir(path.join(root, 'a', 'stages', '00-baseline'), record('base', 'baseline', { from: 'a' }));
    const found = await new StageStore(root, true).find('base');
    expect(found!.record.hash).to.equal('base');
    expect([path.join(root, 'a', 'stages', '00-baseline'), path.join(root, 'b', 'stages', '00-baseline')]).to.include(found!.dir);
  });

  it('never finds an interrupted stage (no record), a corrupt record, another format or runner version, or an atomic-write temp directory', async () => {
    const stages = path.join(root, 'r', 'stages');
    await stageDir(path.join(stages, '01-interrupted'), null);
    await stageDir(path.join(stages, '02-corrupt'), '{"format": "collabopt-stage", ');
    await stageDir(path.join(stages, '03-other-format'), { format: 'something', version: STAGE_FORMAT_VERSION, hash: 'h3' });
    await stageDir(path.join(stages, '04-other-version'), record('h4', 'x', { version: STAGE_FORMAT_VERSION + 1 }));
    await stageDir(path.join(stages, '05-no-hash'), { format: 'collabopt-stage', version: STAGE_FORMAT_VERSION });
    await stageDir(path.join(stages, '06-qat.tmp-1234'), record('h6'));
    await stageDir(path.join(stages, '07-qat.old-1234'), record('h7'));
    const store = new StageStore(root, true);
    for (const h of ['h3', 'h4', 'h6', 'h7']) expect(await store.find(h), h).to.equal(null);
    expect(await readStageRecord(path.join(stages, '01-interrupted'))).to.equal(null);
    expect(await readStageRecord(path.join(stages, '02-corrupt'))).to.equal(null);
    expect(await readStageRecord(path.join(stages, '05-no-hash'))).to.equal(null);
    expect(await readStageRecord(path.join(root, 'missing'))).to.equal(null);
  });

  it('re-reads the record at find: a stage removed or replaced since it was indexed is not found', async () => {
    const dir = path.join(root, 'r', 'stages', '01-prune');
    await stageDir(dir, record('h1'));
    const store = new StageStore(root, true);
    expect(await store.find('h1')).to.not.equal(null);
    await fs.writeFile(path.join(dir, STAGE_RECORD_FILE), JSON.stringify(record('h2')));
    expect(await store.find('h1'), 'replaced by another stage').to.equal(null);
    await fs.rm(dir, { recursive: true });
    expect(await store.find('h1'), 'removed').to.equal(null);
  });

  it('an output folder that does not exist yet is simply empty', async () => {
    expect(await new StageStore(path.join(root, 'not-yet'), true).find('h')).to.equal(null);
  });
});
