/**
 * Which axis N:M groups run along. `'tf'`: the tensor is a tfjs/Keras kernel — Dense
 * `[in, out]` or Conv2D `[height, width, in, out]` — and is viewed in TFLite order first.
 * `'tflite'`: the tensor is already in TFLite order — Dense `[out, in]` or Conv2D
 * `[out, height, width, in]` — e.g. read back from a `.tflite` file. (TFMOT's `last_channel`
 * `'C_OUT'` and `'C_IN'`.)
 */
export type NMLayout = 'tf' | 'tflite';

/**
 * A kernel viewed as TFMOT's rearranged matrix `[rows, cols]`, with `cols` = input channels
 * (TFLite's innermost axis), without moving any data: the element at `(row, col)` is at flat index
 * `rowBase(row) + col * colStride` of the original row-major tensor. Groups of `n` consecutive
 * columns of a row are the N:M groups.
 */
export interface NMGroupLayout {
  /** Rows of the rearranged matrix: `out` (Dense) or `out * height * width` (Conv2D). */
  readonly rows: number;
  /** Columns: the input channels. */
  readonly cols: number;
  /** Distance between consecutive columns of a row in the original flat data. */
  readonly colStride: number;
  /** Flat index of `(row, 0)` in the original data. */
  rowBase(row: number): number;
}

/**
 * The rearranged view TFMOT's `weights_rearrange` builds (Dense `[in, out]` → `[out, in]`;
 * Conv2D `[h, w, in, out]` → `[out, h, w, in]` → `[out*h*w, in]`), as index arithmetic.
 *
 * @param shape - the kernel's shape.
 * @param layout - how the kernel is laid out; see {@link NMLayout}.
 * @param where - the caller and weight, for error messages.
 * @returns the view.
 * @throws TypeError for ranks other than 2 (Dense) and 4 (Conv2D), naming the supported shapes.
 */
export function nmGroupLayout(shape: readonly number[], layout: NMLayout, where: string): NMGroupLayout {
  if (shape.length !== 2 && shape.length !== 4) {
    const supported =
      layout === 'tf'
        ? 'Dense kernels [in, out] (rank 2) and Conv2D kernels [height, width, in, out] (rank 4)'
        : 'TFLite Dense weights [out, in] (rank 2) and Conv2D weights [out, height, width, in] (rank 4)';
    throw new TypeError(
      `${where}: N:M sparsity is not supported for shape [${shape.join(', ')}] (rank ${shape.length}); ` +
        `it supports ${supported}`,
    );
  }
  if (layout === 'tflite') {
    const cols = shape[shape.length - 1];
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    return { rows, cols, colStride: 1, rowBase: (row) => row * cols };
  }
  const [inChannels, outChannels] = shape.slice(-2);
  const spatial = shape.length === 4 ? shape[0] * shape[1] : 1;
  // Row r of the rearranged matrix is output channel floor(r / spatial) at spatial position
  // r % spatial; in the [.., in, out] data that element sits at (s * in + col) * out + o.
  return {
    rows: outChannels * spatial,
    cols: inChannels,
    colStride: outChannels,
    rowBase: (row) => (row % spatial) * inChannels * outChannels + Math.floor(row / spatial),
  };
}
