import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '../../../core/src/io/writeFileAtomic';

describe('writeFileAtomic', () => {
  let tmp: string;
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wfa-'))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('writes bytes or text, creating missing parent folders, and replaces an existing file', async () => {
    const file = path.join(tmp, 'a', 'b', 'model.tflite');
    await writeFileAtomic(file, Uint8Array.of(1, 2, 3));
    expect(Array.from(fs.readFileSync(file))).to.deep.equal([1, 2, 3]);
    await writeFileAtomic(file, 'text');
    expect(fs.readFileSync(file, 'utf8')).to.equal('text');
    expect(fs.readdirSync(path.dirname(file))).to.deep.equal(['model.tflite']);
  });

  it('on failure keeps the previous file and leaves no temp file', async () => {
    const dir = path.join(tmp, 'out');
    const file = path.join(dir, 'report.json');
    await writeFileAtomic(file, 'old');
    // The target name is now a non-empty directory: the rename over it fails.
    fs.rmSync(file);
    fs.mkdirSync(path.join(file, 'inner'), { recursive: true });
    let error: unknown;
    await writeFileAtomic(file, 'new').catch((e) => (error = e));
    expect(error).to.be.instanceOf(Error);
    expect(fs.readdirSync(dir)).to.deep.equal(['report.json']);
    expect(fs.statSync(file).isDirectory()).to.equal(true);
  });
});
