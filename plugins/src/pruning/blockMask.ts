import { describeValue } from '@collabopt/core';
import * as tf from '@tensorflow/tfjs';
import { absoluteValues } from './absoluteValues';
import { checkMaskSparsity } from './checkMaskSparsity';
import { magnitudeMask, type MagnitudeMaskResult } from './magnitudeMask';
import { selectByMagnitude } from './selectByMagnitude';

/**
 * How a block's magnitudes are summarised before ranking blocks.
 * @group Pruning masks
 */
export type BlockPooling = 'AVG' | 'MAX';

/**
 * Options of {@link blockMask}.
 * @group Pruning masks
 */
export interface BlockMaskOptions {
  /** Block `[height, width]` in weights; positive integers. `[1, 1]` is the element-wise mask. */
  readonly blockSize: readonly [number, number];
  /** Summary of `|w|` over a block: mean (`'AVG'`, default, as TFMOT) or maximum (`'MAX'`). */
  readonly pooling?: BlockPooling;
  /** Break ties between equal block scores by block index; see `magnitudeMask`. Default false. */
  readonly exactTies?: boolean;
  /** Name of the weight, used in error messages. */
  readonly label?: string;
}

/**
 * TFMOT's block-sparse mask for a rank-2 kernel: pool `|W|` over `blockSize` blocks (window =
 * stride = block, blocks at the matrix edge cut short), rank the pooled matrix with the
 * element-wise algorithm, repeat each pooled mask entry over its block (a Kronecker product with
 * ones), and crop to W's shape. Whole blocks are kept or pruned together, which sparse kernels
 * can exploit. `threshold` is the pooled score at which blocks were cut; `kept` counts weights.
 *
 * AVG averages over the block's real weights only, as TF's SAME-padded average pooling excludes
 * padding; MAX ignores padding likewise.
 *
 * Porting note: TF's SAME padding puts `floor(pad / 2)` of the padding *before* the first block,
 * so when a dimension is not a multiple of the block size (remainder <= block - 2) TFMOT's pooled
 * windows are shifted against the blocks `expand_tensor` writes back, and a weight can be kept or
 * pruned by its neighbours' block score. Here every block is aligned to the top-left corner and
 * only the last block of a row or column is short, so each weight is judged by its own block.
 * Results are identical whenever the shape is a multiple of the block size.
 *
 * Porting note: TFMOT squeezes W first, which breaks `[1, n]` and `[n, 1]` kernels; W is used as is.
 *
 * @param weights - float32 rank-2 tensor (any rank when `blockSize` is `[1, 1]`).
 * @param sparsity - target fraction of zero *blocks*, in [0, 1].
 * @param options - see {@link BlockMaskOptions}.
 * @returns the float32 0/1 mask of W's shape (caller disposes), the block threshold, the kept count.
 * @throws RangeError for a bad block size, pooling type or sparsity, or NaN weights; TypeError
 *   for a non-rank-2 kernel with a block larger than 1x1, or a non-float32 or disposed tensor.
 * @group Pruning masks
 */
export function blockMask<R extends tf.Rank>(
  weights: tf.Tensor<R>,
  sparsity: number,
  options: BlockMaskOptions,
): MagnitudeMaskResult<R> {
  const where = `blockMask(${options?.label ?? 'weights'})`;
  const blockSize: unknown = options?.blockSize;
  if (
    !Array.isArray(blockSize) ||
    blockSize.length !== 2 ||
    !blockSize.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 1)
  ) {
    throw new RangeError(`${where}: blockSize must be [height, width] with positive integers, received ${describeValue(blockSize)}`);
  }
  const pooling: unknown = options.pooling ?? 'AVG';
  if (pooling !== 'AVG' && pooling !== 'MAX') {
    throw new RangeError(`${where}: pooling must be 'AVG' or 'MAX', received ${describeValue(pooling)}`);
  }
  checkMaskSparsity(where, sparsity);
  const [bh, bw] = blockSize as [number, number];
  if (bh === 1 && bw === 1) {
    return magnitudeMask(weights, sparsity, { exactTies: options.exactTies, label: options.label });
  }
  if (weights instanceof tf.Tensor && weights.rank !== 2) {
    throw new TypeError(
      `${where}: block sparsity needs a rank-2 kernel, received shape [${weights.shape.join(', ')}] (rank ${weights.rank}); ` +
        `use blockSize [1, 1] (element-wise) for other ranks`,
    );
  }

  let threshold = 0;
  let kept = 0;
  const mask = tf.tidy(() => {
    const magnitudes = absoluteValues(weights, where);
    const [rows, cols] = weights.shape as number[];
    const pooledRows = Math.ceil(rows / bh);
    const pooledCols = Math.ceil(cols / bw);
    const pooled = poolBlocks(magnitudes, rows, cols, bh, bw, pooledRows, pooledCols, pooling);
    const selection = selectByMagnitude(pooled, sparsity, options.exactTies === true);
    threshold = selection.threshold;
    const out = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const pooledRow = Math.floor(r / bh) * pooledCols;
      const rowOffset = r * cols;
      for (let pc = 0; pc < pooledCols; pc++) {
        if (selection.mask[pooledRow + pc] !== 1) continue;
        const c0 = pc * bw;
        const c1 = Math.min(c0 + bw, cols);
        out.fill(1, rowOffset + c0, rowOffset + c1);
        kept += c1 - c0;
      }
    }
    return tf.tensor(out, weights.shape, 'float32') as tf.Tensor<R>;
  });
  return { mask, threshold, kept };
}

// One pass over W in memory order, accumulating each weight into its block; AVG then divides by
// the block's real size (edge blocks are smaller).
function poolBlocks(
  magnitudes: Float32Array,
  rows: number,
  cols: number,
  bh: number,
  bw: number,
  pooledRows: number,
  pooledCols: number,
  pooling: BlockPooling,
): Float32Array {
  const acc = new Float64Array(pooledRows * pooledCols);
  for (let r = 0; r < rows; r++) {
    const pooledRow = Math.floor(r / bh) * pooledCols;
    const rowOffset = r * cols;
    for (let pc = 0; pc < pooledCols; pc++) {
      const end = rowOffset + Math.min((pc + 1) * bw, cols);
      let value = acc[pooledRow + pc];
      if (pooling === 'AVG') {
        for (let i = rowOffset + pc * bw; i < end; i++) value += magnitudes[i];
      } else {
        for (let i = rowOffset + pc * bw; i < end; i++) if (magnitudes[i] > value) value = magnitudes[i];
      }
      acc[pooledRow + pc] = value;
    }
  }
  const pooled = new Float32Array(acc.length);
  for (let pr = 0; pr < pooledRows; pr++) {
    const height = Math.min(bh, rows - pr * bh);
    for (let pc = 0; pc < pooledCols; pc++) {
      const cell = pr * pooledCols + pc;
      pooled[cell] = pooling === 'AVG' ? acc[cell] / (height * Math.min(bw, cols - pc * bw)) : acc[cell];
    }
  }
  return pooled;
}
