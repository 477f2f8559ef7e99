/**
 * A kernel read back from an exported file, as an invariant sees it when verifying the export
 * (see {@link Invariant.checkExported}). Values are the ones the file computes with (stored
 * levels times scales for quantized kernels), in the model's (Keras, row-major) element order, so
 * an invariant's data (a mask, scales per output channel) indexes them as it indexes the weight.
 * @group Invariants
 */
export interface ExportedKernel {
  /** Weight id in the session (`layer/kernel`). */
  readonly weightId: string;
  /** The weight's shape in the model. */
  readonly shape: readonly number[];
  /** How the file stores the kernel, e.g. `'float32'`, `'float16'`, `'int8'`. */
  readonly dtype: string;
  /** Number of output channels: element `k` is in channel `k % outChannels`. */
  readonly outChannels: number;
  /** The file's values, Keras order; read from the file on first access. */
  readonly values: ArrayLike<number>;
  /**
   * Per-output-channel factors the exporter folded into the kernel (a BatchNormalization), or
   * null: the file's value of element `k` is then the model's value times `foldedScale[k % outChannels]`.
   */
  readonly foldedScale: ArrayLike<number> | null;
  /** Name of what was folded in (for notes), or null. */
  readonly foldedFrom: string | null;
  /** Whether a quantized kernel was stored with the session's `int8-grid` scales (times the folded factor). */
  readonly onStateGrid: boolean;
  /** The model's current value of the weight, Keras order. */
  modelValues(): ArrayLike<number>;
  /** ` at [i, j, ...]` for Keras flat index `k`, for messages. */
  position(k: number): string;
}

/**
 * What an invariant found in an exported kernel.
 * @group Invariants
 */
export interface ExportCheck {
  /** Why the file breaks the invariant, or null when it holds. */
  readonly violation: string | null;
  /** False when the invariant does not apply to how this kernel is stored (nothing was verified). Default true. */
  readonly applies?: boolean;
  /** Something the export report should say about this check. */
  readonly note?: string;
}
