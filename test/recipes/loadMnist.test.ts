import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
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
