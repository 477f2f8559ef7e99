import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { blockMask, type BlockMaskOptions } from '../../../plugins/src/pruning/blockMask';
import { magnitudeMask } from '../../../plugins/src/pruning/magnitudeMask';
import { thrown } from './thrown';

function blockMaskOf(values: number[][], sparsity: number, options: BlockMaskOptions): { mask: number[][]; threshold: number; kept: number } {
  const w = tf.tensor2d(values);
  const result = blockMask(w, sparsity, options);
  expect(result.mask.shape).to.deep.equal(w.shape);
  expect(result.mask.dtype).to.equal('float32');
  const mask = result.mask.arraySync() as number[][];
  tf.dispose([w, result.mask]);
  return { mask, threshold: result.threshold, kept: result.kept };
}

describe('pruning/blockMask', () => {
  it('TFMOT testBlockMaskingAvg: 2x2 AVG blocks at 50%', () => {
    const weights = [
      [0.1, 0.1, 0.2, 0.2],
      [0.1, 0.1, 0.2, 0.2],
      [0.3, 0.3, 0.4, 0.4],
      [0.3, 0.3, 0.4, 0.4],
    ];
    const { mask, threshold, kept } = blockMaskOf(weights, 0.5, { blockSize: [2, 2], pooling: 'AVG' });
    expect(mask).to.deep.equal([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [1, 1, 1, 1],
      [1, 1, 1, 1],
    ]);
    expect(threshold).to.equal(Math.fround(0.3));
    expect(kept).to.equal(8);
  });

  it('TFMOT testBlockMaskingMax: 2x2 MAX blocks at 50%', () => {
    const weights = [
      [0.1, 0.0, 0.2, 0.0],
      [0.0, -0.1, 0.0, -0.2],
      [0.3, 0.0, 0.4, 0.0],
      [0.0, -0.3, 0.0, -0.4],
    ];
    const { mask, threshold } = blockMaskOf(weights, 0.5, { blockSize: [2, 2], pooling: 'MAX' });
    expect(mask).to.deep.equal([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [1, 1, 1, 1],
      [1, 1, 1, 1],
    ]);
    expect(threshold).to.equal(Math.fround(0.3));
  });

  it('AVG and MAX rank blocks differently: one outlier vs uniform mass', () => {
    // Left 2x2 block: |w| = {0.9, 0, 0, 0} -> avg 0.225, max 0.9. Right block: all 0.5 -> avg 0.5, max 0.5.
    const weights = [
      [0.9, 0, 0.5, -0.5],
      [0, 0, 0.5, 0.5],
    ];
    expect(blockMaskOf(weights, 0.5, { blockSize: [2, 2], pooling: 'AVG' }).mask).to.deep.equal([
      [0, 0, 1, 1],
      [0, 0, 1, 1],
    ]);
    expect(blockMaskOf(weights, 0.5, { blockSize: [2, 2], pooling: 'MAX' }).mask).to.deep.equal([
      [1, 1, 0, 0],
      [1, 1, 0, 0],
    ]);
  });

  it('edge blocks are cut short: AVG averages only real weights (hand-computed 5x3, 2x2 blocks)', () => {
    // Pooled (AVG of |w| over real weights), blocks by row pair / column pair:
    //   rows 0-1: cols 0-1 -> (1+1+1+1)/4 = 1     col 2 -> (8+0)/2 = 4
    //   rows 2-3: cols 0-1 -> (2+2+2+2)/4 = 2     col 2 -> (3+3)/2 = 3
    //   row 4:    cols 0-1 -> (5+5)/2     = 5     col 2 -> 0.5
    // 6 blocks at 50% keep 3: scores 5, 4, 3 -> threshold 3.
    const weights = [
      [1, -1, 8],
      [1, 1, 0],
      [2, 2, -3],
      [-2, 2, 3],
      [5, 5, 0.5],
    ];
    const avg = blockMaskOf(weights, 0.5, { blockSize: [2, 2], pooling: 'AVG' });
    expect(avg.mask).to.deep.equal([
      [0, 0, 1],
      [0, 0, 1],
      [0, 0, 1],
      [0, 0, 1],
      [1, 1, 0],
    ]);
    expect(avg.threshold).to.equal(3);
    expect(avg.kept).to.equal(6);
    // MAX scores: 1, 8 / 2, 3 / 5, 0.5 -> keep 8, 5, 3.
    const max = blockMaskOf(weights, 0.5, { blockSize: [2, 2], pooling: 'MAX' });
    expect(max.mask).to.deep.equal(avg.mask);
    expect(max.threshold).to.equal(3);
  });

  it('porting note: blocks align with the weights they expand back to (TFMOT would keep 0.2 and prune 0.8 here)', () => {
    // 4 rows, 3-row blocks. TF SAME padding pools rows {0,1} and {2,3} (one pad row before) but
    // expands block 0 to rows 0-2 and block 1 to row 3. Aligned blocks are rows {0,1,2} and {3}.
    const weights = [[0.1], [0.1], [0.8], [0.2]];
    const { mask, threshold } = blockMaskOf(weights, 0.5, { blockSize: [3, 1], pooling: 'AVG' });
    expect(mask).to.deep.equal([[1], [1], [1], [0]]);
    expect(threshold).to.be.closeTo(1 / 3, 1e-6);
  });

  it('equals TF pooling + element-wise mask + Kronecker expansion on block-divisible random kernels', () => {
    const cases: Array<[[number, number], [number, number], 'AVG' | 'MAX']> = [
      [[8, 12], [2, 3], 'AVG'],
      [[16, 16], [4, 4], 'MAX'],
      [[12, 8], [3, 1], 'AVG'],
      [[6, 20], [1, 4], 'MAX'],
    ];
    let seed = 40;
    for (const [shape, [bh, bw], pooling] of cases) {
      const w = tf.randomNormal(shape, 0, 1, 'float32', seed++);
      for (const sparsity of [0.3, 0.5, 0.8]) {
        const expected = tf.tidy(() => {
          const abs4d = tf.abs(w).reshape([1, shape[0], shape[1], 1]) as tf.Tensor4D;
          const pooled = (pooling === 'AVG' ? tf.avgPool(abs4d, [bh, bw], [bh, bw], 'valid') : tf.maxPool(abs4d, [bh, bw], [bh, bw], 'valid')).reshape([
            shape[0] / bh,
            shape[1] / bw,
          ]);
          const pooledMask = magnitudeMask(pooled, sparsity).mask;
          // Kronecker product with ones(bh, bw).
          return pooledMask
            .reshape([shape[0] / bh, 1, shape[1] / bw, 1])
            .tile([1, bh, 1, bw])
            .reshape(shape);
        });
        const actual = blockMask(w, sparsity, { blockSize: [bh, bw], pooling });
        expect(Array.from(actual.mask.dataSync()), `[${shape}] ${bh}x${bw} ${pooling} s=${sparsity}`).to.deep.equal(Array.from(expected.dataSync()));
        tf.dispose([expected, actual.mask]);
      }
      w.dispose();
    }
  });

  it('exactTies keeps exactly k blocks, the first ones by block index', () => {
    const weights = Array.from({ length: 4 }, () => [0.5, 0.5, 0.5, 0.5]);
    const parity = blockMaskOf(weights, 0.5, { blockSize: [2, 2] });
    expect(parity.kept).to.equal(16);
    const exact = blockMaskOf(weights, 0.5, { blockSize: [2, 2], exactTies: true });
    expect(exact.kept).to.equal(8);
    expect(exact.mask).to.deep.equal([
      [1, 1, 1, 1],
      [1, 1, 1, 1],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
  });

  it('blockSize [1, 1] is the element-wise mask, for any rank', () => {
    const w = tf.randomNormal([2, 3, 4, 5], 0, 1, 'float32', 9);
    const a = blockMask(w, 0.6, { blockSize: [1, 1] });
    const b = magnitudeMask(w, 0.6);
    expect(Array.from(a.mask.dataSync())).to.deep.equal(Array.from(b.mask.dataSync()));
    expect(a.threshold).to.equal(b.threshold);
    tf.dispose([w, a.mask, b.mask]);
  });

  it('leaks no tensors', () => {
    const w = tf.randomNormal([33, 17], 0, 1, 'float32', 4);
    const before = tf.memory().numTensors;
    const { mask } = blockMask(w, 0.7, { blockSize: [4, 4], pooling: 'MAX' });
    expect(tf.memory().numTensors).to.equal(before + 1);
    tf.dispose([w, mask]);
  });

  describe('bad input', () => {
    it('rejects ranks other than 2 with a clear error', () => {
      const w = tf.zeros([1, 4, 4]);
      const error = thrown(() => blockMask(w, 0.5, { blockSize: [2, 2], label: 'conv/kernel' }));
      expect(error).to.be.instanceOf(TypeError);
      expect(error.message).to.equal(
        'blockMask(conv/kernel): block sparsity needs a rank-2 kernel, received shape [1, 4, 4] (rank 3); use blockSize [1, 1] (element-wise) for other ranks',
      );
      w.dispose();
    });

    it('rejects bad block sizes, pooling types and sparsities', () => {
      const w = tf.zeros([4, 4]);
      expect(() => blockMask(w, 0.5, { blockSize: [0, 2] })).to.throw(RangeError, 'blockMask(weights): blockSize must be [height, width] with positive integers, received [0,2]');
      expect(() => blockMask(w, 0.5, { blockSize: [2] as unknown as [number, number] })).to.throw(RangeError, /blockSize must be \[height, width\].*received \[2\]/);
      expect(() => blockMask(w, 0.5, { blockSize: [2, 2], pooling: 'SUM' as 'AVG' })).to.throw(RangeError, `blockMask(weights): pooling must be 'AVG' or 'MAX', received "SUM"`);
      expect(() => blockMask(w, -0.5, { blockSize: [2, 2] })).to.throw(RangeError, 'blockMask(weights): sparsity must be a number in [0, 1], received -0.5');
      w.dispose();
    });
  });
});
