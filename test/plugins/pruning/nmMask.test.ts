import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { checkNMSparsity } from '../../../plugins/src/pruning/checkNMSparsity';
import { nmMask } from '../../../plugins/src/pruning/nmMask';
import { mulberry32 } from '../../helpers/random';
import { thrown } from './thrown';

/**
 * Independent reference: rearrange with tf ops exactly as TFMOT's weights_rearrange does,
 * choose the top n-m per padded group by a stable sort, then undo the rearrangement with tf ops.
 */
function referenceNMMask(w: tf.Tensor, m: number, n: number): number[] {
  return tf.tidy(() => {
    const rearranged = w.rank === 2 ? tf.transpose(w) : tf.reshape(tf.transpose(w, [3, 0, 1, 2]), [-1, w.shape[2] as number]);
    const [rows, cols] = rearranged.shape as [number, number];
    const abs = rearranged.abs().arraySync() as number[][];
    const mask = abs.map((row) => {
      const out = new Array<number>(cols).fill(0);
      for (let start = 0; start < cols; start += n) {
        const padded = Array.from({ length: n }, (_, j) => (start + j < cols ? row[start + j] : 0));
        const order = padded.map((v, j) => ({ v, j })).sort((a, b) => b.v - a.v || a.j - b.j);
        for (const { j } of order.slice(0, n - m)) if (start + j < cols) out[start + j] = 1;
      }
      return out;
    });
    const back = tf.tensor2d(mask, [rows, cols]);
    const restored =
      w.rank === 2
        ? tf.transpose(back)
        : tf.transpose(tf.reshape(back, [w.shape[3] as number, w.shape[0] as number, w.shape[1] as number, w.shape[2] as number]), [1, 2, 3, 0]);
    return Array.from(restored.dataSync());
  });
}

function nmMaskArray(w: tf.Tensor, m?: number, n?: number): { mask: number[]; kept: number } {
  const result = nmMask(w, { m, n });
  expect(result.mask.shape).to.deep.equal(w.shape);
  expect(result.mask.dtype).to.equal('float32');
  const mask = Array.from(result.mask.dataSync());
  result.mask.dispose();
  return { mask, kept: result.kept };
}

describe('pruning/nmMask', () => {
  it('Dense [in, out]: groups run along the input axis (hand-computed 2:4)', () => {
    // in = 4, out = 2. Column o of the kernel is one row of the TFLite [out, in] matrix.
    // out 0: |w| over in = [0.1, 0.9, 0.3, 0.5] -> keep in 1, 3.   out 1: [4, 3, 2, 1] -> keep in 0, 1.
    const w = tf.tensor2d([
      [0.1, 4],
      [-0.9, 3],
      [0.3, -2],
      [0.5, 1],
    ]);
    const { mask, kept } = nmMaskArray(w);
    expect(mask).to.deep.equal([0, 1, 1, 1, 0, 0, 1, 0]);
    expect(kept).to.equal(4);
    w.dispose();
  });

  it('Conv2D [h, w, in, out]: groups run along in, for every (out, h, w) (hand-computed 2:4)', () => {
    // h = 1, w = 2, in = 4, out = 2. Value at (0, x, i, o) encodes a magnitude chosen per group.
    const magnitudes: Record<string, number[]> = {
      // key: `${x},${o}` -> |w| over i = 0..3
      '0,0': [1, 2, 3, 4], // keep i 2, 3
      '0,1': [4, 3, 2, 1], // keep i 0, 1
      '1,0': [5, 0, 5, 0], // keep i 0, 2
      '1,1': [0, 7, -8, 0], // keep i 1, 2
    };
    const expectedKeep: Record<string, number[]> = { '0,0': [2, 3], '0,1': [0, 1], '1,0': [0, 2], '1,1': [1, 2] };
    const values = new Float32Array(1 * 2 * 4 * 2);
    const expected = new Array<number>(values.length).fill(0);
    for (let x = 0; x < 2; x++) {
      for (let i = 0; i < 4; i++) {
        for (let o = 0; o < 2; o++) {
          const flat = (x * 4 + i) * 2 + o;
          values[flat] = magnitudes[`${x},${o}`][i];
          if (expectedKeep[`${x},${o}`].includes(i)) expected[flat] = 1;
        }
      }
    }
    const w = tf.tensor4d(values, [1, 2, 4, 2]);
    expect(nmMaskArray(w).mask).to.deep.equal(expected);
    w.dispose();
  });

  it('7 input channels at 2:4 prune 3 of every 7 (TFMOT Conv2D_not_multiple_4: sparsity 0.428571)', () => {
    // Dense [7, 1]: group [1, 5, 3, 2] keeps 5, 3; tail [7, 4, 6] keeps 7, 6.
    const dense = tf.tensor2d([1, 5, 3, 2, 7, 4, 6], [7, 1]);
    expect(nmMaskArray(dense).mask).to.deep.equal([0, 1, 1, 0, 1, 0, 1]);
    dense.dispose();

    const conv = tf.randomNormal([3, 3, 7, 16], 0, 1, 'float32', 21);
    const { mask, kept } = nmMaskArray(conv);
    const zeros = mask.length - mask.reduce((a, b) => a + b, 0);
    expect(kept).to.equal(mask.length - zeros);
    expect(zeros / mask.length).to.be.closeTo(0.428571, 1e-6);
    expect(mask).to.deep.equal(referenceNMMask(conv, 2, 4));
    conv.dispose();
  });

  it('breaks ties by lower input index, as top_k; a real zero beats the padding', () => {
    const tied = tf.tensor2d([0.5, 0.5, 0.5, 0.5], [4, 1]);
    expect(nmMaskArray(tied).mask).to.deep.equal([1, 1, 0, 0]);
    // in = 5: the tail group holds one real weight (0), which is kept like TFMOT's padded top_k keeps it.
    const tail = tf.tensor2d([1, 2, 3, 4, 0], [5, 1]);
    expect(nmMaskArray(tail).mask).to.deep.equal([0, 0, 1, 1, 1]);
    tf.dispose([tied, tail]);
  });

  it('matches the TFMOT reference on random Dense and Conv2D kernels for several patterns', () => {
    const rand = mulberry32(17);
    const shapes = [
      [8, 6],
      [13, 5],
      [3, 3, 8, 4],
      [2, 1, 10, 3],
      [1, 1, 3, 2],
      [45, 3], // 45 = 2 * 20 + 5: full and short groups for the 12:20 (sorting) path
      [1, 2, 23, 2],
    ];
    const patterns: Array<[number, number]> = [
      [2, 4],
      [1, 4],
      [3, 4],
      [4, 8],
      [1, 3],
      [12, 20], // groups longer than the pairwise threshold take the sorting path
    ];
    for (const shape of shapes) {
      const size = shape.reduce((a, b) => a * b, 1);
      // Coarse values produce many ties, which the reference and nmMask must break identically.
      const w = tf.tensor(Float32Array.from({ length: size }, () => Math.round((rand() * 2 - 1) * 4) / 4), shape);
      for (const [m, n] of patterns) {
        const { mask } = nmMaskArray(w, m, n);
        expect(mask, `shape [${shape}], ${m}:${n}`).to.deep.equal(referenceNMMask(w, m, n));
        const masked = tf.mul(w, tf.tensor(Float32Array.from(mask), shape));
        expect(checkNMSparsity(masked, { m, n }).ok, `checker on shape [${shape}], ${m}:${n}`).to.equal(true);
        masked.dispose();
      }
      w.dispose();
    }
  });

  it('leaks no tensors', () => {
    const w = tf.randomNormal([3, 3, 16, 8], 0, 1, 'float32', 5);
    const before = tf.memory().numTensors;
    const { mask } = nmMask(w);
    expect(tf.memory().numTensors).to.equal(before + 1);
    mask.dispose();
    const bad = tf.zeros([2, 2, 2]);
    const beforeError = tf.memory().numTensors;
    expect(() => nmMask(bad)).to.throw(TypeError);
    expect(tf.memory().numTensors).to.equal(beforeError);
    tf.dispose([w, bad]);
  });

  describe('bad input', () => {
    it('rejects unsupported ranks, saying which shapes are supported', () => {
      for (const shape of [[8], [2, 2, 8], [1, 2, 2, 8, 4]]) {
        const w = tf.zeros(shape);
        const error = thrown(() => nmMask(w, { label: 'odd/kernel' }));
        expect(error).to.be.instanceOf(TypeError);
        expect(error.message).to.equal(
          `nmMask(odd/kernel): N:M sparsity is not supported for shape [${shape.join(', ')}] (rank ${shape.length}); ` +
            'it supports Dense kernels [in, out] (rank 2) and Conv2D kernels [height, width, in, out] (rank 4)',
        );
        w.dispose();
      }
    });

    it('requires integers 0 < m < n', () => {
      const w = tf.zeros([4, 4]);
      expect(() => nmMask(w, { m: 4, n: 4 })).to.throw(RangeError, 'nmMask(weights): m (zeros per group) must be an integer with 0 < m < n (n = 4), received 4');
      expect(() => nmMask(w, { m: 0 })).to.throw(RangeError, /m \(zeros per group\) must be an integer with 0 < m < n \(n = 4\), received 0/);
      expect(() => nmMask(w, { m: 1.5 })).to.throw(RangeError, /received 1\.5/);
      expect(() => nmMask(w, { m: 2, n: 1 })).to.throw(RangeError, 'nmMask(weights): n (group length) must be an integer >= 2, received 1');
      w.dispose();
    });

    it('rejects NaN weights', () => {
      const w = tf.tensor2d([[1, NaN], [3, 4]]);
      expect(() => nmMask(w, { label: 'fc' })).to.throw(RangeError, /^nmMask\(fc\): weights of shape \[2, 2\] contain 1 NaN value\(s\), the first at flat index 1/);
      w.dispose();
    });
  });
});
