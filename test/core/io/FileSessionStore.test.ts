import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { FileSessionStore } from '../../../core/src/io/FileSessionStore';
import { StateError } from '../../../core/src/errors/StateError';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

async function rejection(p: Promise<unknown>): Promise<StateError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).to.be.instanceOf(StateError);
  return e as StateError;
}

describe('FileSessionStore', () => {
  const store = new FileSessionStore();
  let root: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'collabopt-filestore-'));
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('writes a directory of files and reads back the ones asked for; missing optional files are left out', async () => {
    const dir = path.join(root, 'run');
    await store.write(dir, new Map([['a.json', bytes('{"x":1}')], ['b.bin', new Uint8Array([1, 2, 3])]]));
    const files = await store.read(dir, ['a.json'], ['b.bin', 'c.bin']);
    expect([...files.keys()]).to.deep.equal(['a.json', 'b.bin']);
    expect(text(files.get('a.json'))).to.equal('{"x":1}');
    expect(Array.from(files.get('b.bin')!)).to.deep.equal([1, 2, 3]);
  });

  it('a second write replaces the directory as a whole (no file of the first survives)', async () => {
    const dir = path.join(root, 'run');
    await store.write(dir, new Map([['old.bin', new Uint8Array([1])]]));
    await store.write(dir, new Map([['new.bin', new Uint8Array([2])]]));
    expect(await fs.readdir(dir)).to.deep.equal(['new.bin']);
  });

  it('reads every shard model.json names, so sharded models load too', async () => {
    const dir = path.join(root, 'model');
    const manifest = { modelTopology: {}, weightsManifest: [{ paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: [] }] };
    await store.write(dir, new Map([
      ['model.json', bytes(JSON.stringify(manifest))],
      ['group1-shard1of2.bin', new Uint8Array([1])],
      ['group1-shard2of2.bin', new Uint8Array([2])],
    ]));
    const files = await store.read(dir, ['model.json']);
    expect([...files.keys()].sort()).to.deep.equal(['group1-shard1of2.bin', 'group1-shard2of2.bin', 'model.json']);
  });

  it('errors name the path: no directory, not a directory, a required file or a named shard missing', async () => {
    expect((await rejection(store.read(path.join(root, 'nope'), ['model.json']))).message).to.equal(`${path.join(root, 'nope')} does not exist`);
    await fs.writeFile(path.join(root, 'file'), 'x');
    expect((await rejection(store.read(path.join(root, 'file'), ['model.json']))).message).to.equal(`${path.join(root, 'file')} is not a directory`);
    const dir = path.join(root, 'run');
    await store.write(dir, new Map([['model.json', bytes(JSON.stringify({ weightsManifest: [{ paths: ['w.bin'], weights: [] }] }))]]));
    expect((await rejection(store.read(dir, ['model.json', 'state.json']))).message).to.equal(`${dir}/state.json is missing`);
    expect((await rejection(store.read(dir, ['model.json']))).message).to.equal(`${dir}/w.bin (named in model.json) is missing`);
  });

  it('an unparseable model.json is returned as it is, for modelFromFiles to report with context', async () => {
    const dir = path.join(root, 'run');
    await store.write(dir, new Map([['model.json', bytes('{"modelTopology": ')]]));
    const files = await store.read(dir, ['model.json']);
    expect(text(files.get('model.json'))).to.equal('{"modelTopology": ');
  });
});
