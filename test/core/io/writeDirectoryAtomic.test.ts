import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeDirectoryAtomic } from '../../../core/src/io/writeDirectoryAtomic';

const files = (entries: Record<string, string>) => new Map(Object.entries(entries).map(([k, v]) => [k, new TextEncoder().encode(v)]));

describe('writeDirectoryAtomic', () => {
  let tmp: string;
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wda-'))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('creates the directory with exactly the given files, and a rewrite drops stale files of the earlier write', async () => {
    const dir = path.join(tmp, 'session');
    await writeDirectoryAtomic(dir, files({ 'state.json': '{}', 'weights.bin': 'w1', 'old.bin': 'x' }));
    expect(fs.readdirSync(dir).sort()).to.deep.equal(['old.bin', 'state.json', 'weights.bin']);
    await writeDirectoryAtomic(dir, files({ 'state.json': '{"v":2}', 'weights.bin': 'w2' }));
    expect(fs.readdirSync(dir).sort()).to.deep.equal(['state.json', 'weights.bin']);
    expect(fs.readFileSync(path.join(dir, 'state.json'), 'utf8')).to.equal('{"v":2}');
    // No temp or old directories are left beside it.
    expect(fs.readdirSync(tmp)).to.deep.equal(['session']);
  });

  it('refuses file names that would escape the directory or hide in it, before writing anything', async () => {
    const dir = path.join(tmp, 'session');
    for (const name of ['../x', 'a/b', 'a\\b', '.hidden', '']) {
      let error: Error | undefined;
      await writeDirectoryAtomic(dir, files({ [name]: 'x' })).catch((e: Error) => (error = e));
      expect(error?.message, JSON.stringify(name)).to.equal(`invalid file name '${name}'`);
    }
    expect(fs.readdirSync(tmp)).to.deep.equal([]);
  });

  it('refuses to replace a file that is not a directory, leaving it as it was', async () => {
    const file = path.join(tmp, 'model.json');
    fs.writeFileSync(file, 'keep');
    let error: Error | undefined;
    await writeDirectoryAtomic(file, files({ 'a.bin': 'x' })).catch((e: Error) => (error = e));
    expect(error?.message).to.equal(`'${file}' exists and is not a directory; refusing to replace it`);
    expect(fs.readFileSync(file, 'utf8')).to.equal('keep');
    expect(fs.readdirSync(tmp)).to.deep.equal(['model.json']);
  });

  it('on a failed write keeps the old directory intact and removes what it created', async () => {
    const dir = path.join(tmp, 'session');
    await writeDirectoryAtomic(dir, files({ 'state.json': 'old' }));
    // A file name longer than the file system allows makes the write into the temp dir fail.
    const tooLong = 'x'.repeat(300);
    let error: unknown;
    await writeDirectoryAtomic(dir, files({ 'state.json': 'new', [tooLong]: 'y' })).catch((e) => (error = e));
    expect(error).to.be.instanceOf(Error);
    expect(fs.readdirSync(dir)).to.deep.equal(['state.json']);
    expect(fs.readFileSync(path.join(dir, 'state.json'), 'utf8')).to.equal('old');
    expect(fs.readdirSync(tmp)).to.deep.equal(['session']);
  });

  it('removes a parent folder that only the failed write created', async () => {
    const dir = path.join(tmp, 'fresh', 'session');
    let error: unknown;
    await writeDirectoryAtomic(dir, files({ ['y'.repeat(300)]: 'y' })).catch((e) => (error = e));
    expect(error).to.be.instanceOf(Error);
    expect(fs.readdirSync(tmp)).to.deep.equal([]);
  });
});
