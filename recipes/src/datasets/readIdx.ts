import { promises as fs, createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

/** A decoded IDX file (the format MNIST and Fashion-MNIST ship in). */
export interface IdxArray {
  readonly shape: readonly number[];
  /** Row-major unsigned bytes. */
  readonly data: Uint8Array;
}

/** Reads byte ranges of a file; for gzipped files, of the decompressed stream. */
interface ByteSource {
  /** Up to `length` bytes from `position` (fewer at the end of the data). */
  read(position: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

/**
 * Reads an IDX file of unsigned bytes (magic 0x00000801 labels, 0x00000803 images), optionally
 * only `limit` items from `offset`, reading just those bytes. Files ending in `.gz` are
 * decompressed as a stream that stops once the wanted items are read. Corrupt or truncated files
 * get an error that names the file and what is wrong.
 */
export async function readIdx(file: string, offset = 0, limit = Infinity): Promise<IdxArray> {
  const source = file.endsWith('.gz') ? await gzipSource(file) : await plainSource(file);
  try {
    const head = await source.read(0, 4);
    if (head.length < 4 || head[0] !== 0 || head[1] !== 0 || head[2] !== 0x08) {
      throw new Error(`${file} is not an unsigned-byte IDX file (magic ${head.toString('hex')})`);
    }
    const rank = head[3];
    const dimsBuf = await source.read(4, 4 * rank);
    if (dimsBuf.length !== 4 * rank) throw new Error(`${file} is truncated: its header ends early`);
    const dims = Array.from({ length: rank }, (_, i) => dimsBuf.readUInt32BE(4 * i));
    const itemSize = dims.slice(1).reduce((a, b) => a * b, 1);
    if (offset < 0 || offset > dims[0]) throw new Error(`${file}: offset ${offset} is outside 0..${dims[0]}`);
    const count = Math.min(dims[0] - offset, limit);
    const start = 4 + 4 * rank + offset * itemSize;
    const data = await source.read(start, count * itemSize);
    if (data.length !== count * itemSize) throw new Error(`${file} is truncated: expected ${count * itemSize} bytes at ${start}, read ${data.length}`);
    return { shape: [count, ...dims.slice(1)], data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } finally {
    await source.close();
  }
}

async function plainSource(file: string): Promise<ByteSource> {
  const handle = await fs.open(file, 'r').catch(() => {
    throw new Error(`cannot open IDX file ${file}`);
  });
  return {
    async read(position, length) {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      return buffer.subarray(0, bytesRead);
    },
    close: () => handle.close(),
  };
}

/**
 * Decompresses on demand and keeps what was decompressed so far; reads must not go backwards past
 * what is kept (readIdx reads the header, then one range after it). Stops decompressing when
 * closed, so reading the first 12,000 of 60,000 images inflates only a fifth of the file.
 */
async function gzipSource(file: string): Promise<ByteSource> {
  await fs.access(file).catch(() => {
    throw new Error(`cannot open IDX file ${file}`);
  });
  const input = createReadStream(file);
  const gunzip = createGunzip();
  input.pipe(gunzip);
  const chunks = gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let kept: Buffer[] = [];
  let keptStart = 0;
  let keptLength = 0;
  let ended = false;
  const fill = async (end: number) => {
    while (!ended && keptStart + keptLength < end) {
      let next: IteratorResult<Buffer>;
      try {
        next = await chunks.next();
      } catch (e) {
        throw new Error(`${file} is not a valid gzip file (${(e as Error).message})`);
      }
      if (next.done) ended = true;
      else {
        kept.push(next.value);
        keptLength += next.value.length;
      }
    }
  };
  return {
    async read(position, length) {
      await fill(position + length);
      const all = kept.length === 1 ? kept[0] : Buffer.concat(kept, keptLength);
      const out = Buffer.from(all.subarray(position - keptStart, Math.min(position - keptStart + length, keptLength)));
      // Everything before the end of this read is done with.
      const drop = Math.min(position - keptStart + length, keptLength);
      kept = [all.subarray(drop)];
      keptStart += drop;
      keptLength -= drop;
      return out;
    },
    async close() {
      input.destroy();
      gunzip.destroy();
    },
  };
}
