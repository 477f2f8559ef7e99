import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readIdx } from '../../../recipes/src/datasets/readIdx';

/** An IDX file of unsigned bytes: magic 0x0000080N, N big-endian dims, then the data. */
function idx(dims: number[], data: Uint8Array): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt32BE(0x00000800 + dims.length, 0);
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(data)]);
}

describe('readIdx', () => {
  let tmp: string;
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'readidx-'))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  // 5 images of 2x3 whose bytes are 0..29; image i holds 6i..6i+5.
  const images = Uint8Array.from({ length: 30 }, (_, i) => i);

  for (const gz of [false, true]) {
    const ext = gz ? '.gz' : '';
    const write = (name: string, bytes: Buffer) => {
      const file = path.join(tmp, name + ext);
      fs.writeFileSync(file, gz ? gzipSync(bytes) : bytes);
      return file;
    };

    it(`reads shape and data${gz ? ' (gzipped)' : ''}`, async () => {
      const file = write('images', idx([5, 2, 3], images));
      const read = await readIdx(file);
      expect(read.shape).to.deep.equal([5, 2, 3]);
      expect(Array.from(read.data)).to.deep.equal(Array.from(images));
    });

    it(`reads only the items from offset, up to limit${gz ? ' (gzipped)' : ''}`, async () => {
      const file = write('images', idx([5, 2, 3], images));
      const read = await readIdx(file, 1, 2);
      expect(read.shape).to.deep.equal([2, 2, 3]);
      expect(Array.from(read.data)).to.deep.equal(Array.from(images.slice(6, 18)));
      const tail = await readIdx(file, 4, 10);
      expect(tail.shape).to.deep.equal([1, 2, 3]);
      expect(Array.from(tail.data)).to.deep.equal([24, 25, 26, 27, 28, 29]);
    });

    it(`reads labels (rank 1)${gz ? ' (gzipped)' : ''}`, async () => {
      const file = write('labels', idx([4], Uint8Array.of(7, 2, 1, 0)));
      const read = await readIdx(file);
      expect(read.shape).to.deep.equal([4]);
      expect(Array.from(read.data)).to.deep.equal([7, 2, 1, 0]);
    });

    it(`names the file when it is truncated${gz ? ' (gzipped)' : ''}`, async () => {
      const file = write('short', idx([5, 2, 3], images.slice(0, 29)));
      let error: Error | undefined;
      await readIdx(file).catch((e: Error) => (error = e));
      expect(error?.message).to.match(/short.* is truncated: expected 30 bytes at 16, read 29/);
    });
  }

  it('refuses a file that is not an unsigned-byte IDX file, naming it and its magic', async () => {
    const file = path.join(tmp, 'floats.idx');
    fs.writeFileSync(file, Buffer.from([0, 0, 0x0d, 1, 0, 0, 0, 0]));
    let error: Error | undefined;
    await readIdx(file).catch((e: Error) => (error = e));
    expect(error?.message).to.equal(`${file} is not an unsigned-byte IDX file (magic 00000d01)`);
  });

  it('refuses an offset beyond the items', async () => {
    const file = path.join(tmp, 'labels');
    fs.writeFileSync(file, idx([2], Uint8Array.of(1, 2)));
    let error: Error | undefined;
    await readIdx(file, 3).catch((e: Error) => (error = e));
    expect(error?.message).to.equal(`${file}: offset 3 is outside 0..2`);
  });

  it('says a missing file cannot be opened, and a corrupt gzip file is not valid gzip', async () => {
    let missing: Error | undefined;
    await readIdx(path.join(tmp, 'nope')).catch((e: Error) => (missing = e));
    expect(missing?.message).to.match(/^cannot open IDX file .*nope$/);
    const bad = path.join(tmp, 'bad.gz');
    fs.writeFileSync(bad, Buffer.from('not gzip at all'));
    let corrupt: Error | undefined;
    await readIdx(bad).catch((e: Error) => (corrupt = e));
    expect(corrupt?.message).to.match(/bad\.gz is not a valid gzip file/);
  });
});
