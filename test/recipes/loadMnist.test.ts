import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { loadMnist } from '../../recipes/src/datasets/loadMnist';
import { readIdx } from '../../recipes/src/datasets/readIdx';

describe('MNIST loader', () => {
  it('reads a window of the shipped IDX files: shapes, range, labels', async () => {
    const { xs, ys, labels } = await loadMnist({ split: 'test', offset: 100, limit: 50 });
    expect(xs.shape).to.deep.equal([50, 28, 28, 1]);
    expect(ys.shape).to.deep.equal([50, 10]);
    expect(xs.max().dataSync()[0]).to.equal(1);
    expect(xs.min().dataSync()[0]).to.equal(0);
    expect(Array.from(ys.argMax(-1).dataSync())).to.deep.equal(Array.from(labels));
    // The first test labels of MNIST are 7, 2, 1, 0, 4.
    const head = await loadMnist({ split: 'test', limit: 5 });
    expect(Array.from(head.labels)).to.deep.equal([7, 2, 1, 0, 4]);
  });

  it('rejects non-IDX and truncated files with the file name', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idx-'));
    fs.writeFileSync(path.join(dir, 'bad'), 'hello world');
    await readIdx(path.join(dir, 'bad')).then(() => expect.fail(), (e) => expect(e.message).to.match(/bad is not an unsigned-byte IDX file/));
    fs.writeFileSync(path.join(dir, 'short'), Buffer.from([0, 0, 8, 1, 0, 0, 0, 10, 1, 2]));
    await readIdx(path.join(dir, 'short')).then(() => expect.fail(), (e) => expect(e.message).to.match(/short is truncated/));
    fs.rmSync(dir, { recursive: true });
  });
});

describe('IDX files, gzipped', () => {
  it('reads a window of a .gz file exactly as of the plain file, and loadMnist finds .gz files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idx-gz-'));
    const n = 300;
    const head = Buffer.from([0, 0, 8, 3, 0, 0, 1, 44, 0, 0, 0, 28, 0, 0, 0, 28]);
    const pixels = Buffer.from(Array.from({ length: n * 784 }, (_, i) => (i * 7) % 256));
    fs.writeFileSync(path.join(dir, 'plain'), Buffer.concat([head, pixels]));
    // Small chunks, so a read spans many decompressed chunks.
    fs.writeFileSync(path.join(dir, 'images.gz'), zlib.gzipSync(Buffer.concat([head, pixels]), { chunkSize: 1024 }));
    const plain = await readIdx(path.join(dir, 'plain'), 100, 50);
    const gz = await readIdx(path.join(dir, 'images.gz'), 100, 50);
    expect(gz.shape).to.deep.equal([50, 28, 28]);
    expect(Buffer.from(gz.data).equals(Buffer.from(plain.data))).to.equal(true);

    // loadMnist takes `<name>.gz` when `<name>` is absent.
    const labels = Buffer.concat([Buffer.from([0, 0, 8, 1, 0, 0, 1, 44]), Buffer.from(Array.from({ length: n }, (_, i) => i % 10))]);
    for (const split of ['train', 't10k']) {
      fs.writeFileSync(path.join(dir, `${split}-images-idx3-ubyte.gz`), zlib.gzipSync(Buffer.concat([head, pixels])));
      fs.writeFileSync(path.join(dir, `${split}-labels-idx1-ubyte.gz`), zlib.gzipSync(labels));
    }
    const batch = await loadMnist({ split: 'test', offset: 5, limit: 3, dir });
    expect(Array.from(batch.labels)).to.deep.equal([5, 6, 7]);
    expect(batch.xs.shape).to.deep.equal([3, 28, 28, 1]);
    fs.rmSync(dir, { recursive: true });
  });

  it('rejects truncated and corrupt .gz files with the file name', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idx-gz-'));
    fs.writeFileSync(path.join(dir, 'short.gz'), zlib.gzipSync(Buffer.from([0, 0, 8, 1, 0, 0, 0, 10, 1, 2])));
    await readIdx(path.join(dir, 'short.gz')).then(() => expect.fail(), (e) => expect(e.message).to.match(/short\.gz is truncated: expected 10 bytes at 8, read 2/));
    fs.writeFileSync(path.join(dir, 'corrupt.gz'), 'plain text');
    await readIdx(path.join(dir, 'corrupt.gz')).then(() => expect.fail(), (e) => expect(e.message).to.match(/corrupt\.gz is not a valid gzip file/));
    fs.rmSync(dir, { recursive: true });
  });
});
