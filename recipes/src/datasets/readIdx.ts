import { promises as fs } from 'node:fs';

/** A decoded IDX file (the format MNIST and Fashion-MNIST ship in). */
export interface IdxArray {
  readonly shape: readonly number[];
  /** Row-major unsigned bytes. */
  readonly data: Uint8Array;
}

/**
 * Reads an IDX file of unsigned bytes (magic 0x00000801 labels, 0x00000803 images), optionally
 * only `limit` items from `offset`, reading just those bytes. Corrupt or truncated files get an
 * error that names the file and what is wrong.
 */
export async function readIdx(file: string, offset = 0, limit = Infinity): Promise<IdxArray> {
  const handle = await fs.open(file, 'r').catch(() => {
    throw new Error(`cannot open IDX file ${file}`);
  });
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    if (head[0] !== 0 || head[1] !== 0 || head[2] !== 0x08) {
      throw new Error(`${file} is not an unsigned-byte IDX file (magic ${head.toString('hex')})`);
    }
    const rank = head[3];
    const dimsBuf = Buffer.alloc(4 * rank);
    await handle.read(dimsBuf, 0, dimsBuf.length, 4);
    const dims = Array.from({ length: rank }, (_, i) => dimsBuf.readUInt32BE(4 * i));
    const itemSize = dims.slice(1).reduce((a, b) => a * b, 1);
    if (offset < 0 || offset > dims[0]) throw new Error(`${file}: offset ${offset} is outside 0..${dims[0]}`);
    const count = Math.min(dims[0] - offset, limit);
    const data = Buffer.alloc(count * itemSize);
    const start = 4 + 4 * rank + offset * itemSize;
    const { bytesRead } = await handle.read(data, 0, data.length, start);
    if (bytesRead !== data.length) throw new Error(`${file} is truncated: expected ${data.length} bytes at ${start}, read ${bytesRead}`);
    return { shape: [count, ...dims.slice(1)], data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } finally {
    await handle.close();
  }
}
