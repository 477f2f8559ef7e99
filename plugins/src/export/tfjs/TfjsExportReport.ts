import type { SizeReport } from '../sizeReport';
import type { WeightStats } from '../weightStats';
import type { TfjsQuantization } from './TfjsQuantization';

/**
 * How one weight was stored, and what a stock `tf.loadLayersModel` reads back.
 * @group Export: tfjs
 */
export interface TfjsWeightReport {
  /** Name in the weights manifest (the variable's original name), e.g. `dense/kernel`. */
  readonly name: string;
  /** Weight id in the session (`layer/kernel`; differs from `name` in nested models). */
  readonly weightId: string;
  /** Name of the layer that owns the weight (the innermost one, for nested models). */
  readonly layer: string;
  /** The weight's shape. */
  readonly shape: readonly number[];
  /** dtype in the model, and the one the loader restores. */
  readonly dtype: string;
  /** How the weight file stores it: the model's dtype, or `'uint8'`, `'uint16'`, `'float16'`. */
  readonly storedAs: string;
  /** Bytes it takes in the weight files. */
  readonly bytes: number;
  /** For uint8/uint16: whether its existing grid was kept (`'exact'`) or the converter's min/max grid used (`'range'`). */
  readonly grid?: 'exact' | 'range';
  /** For uint8/uint16: the step between levels (`scale`). */
  readonly step?: number;
  /** Sparsity and distinct values of the model's weight (per output channel for kernels). */
  readonly original: WeightStats;
  /** The same, of the values the loader decodes — after dequantization, so what inference will use. */
  readonly exported: WeightStats;
  /** Largest `|exported − original|` over the elements; 0 when stored losslessly. */
  readonly maxAbsError: number;
  /** Invariants of the session's state verified on the decoded values (empty without a state). */
  readonly verified: readonly string[];
}

/**
 * What the tfjs exporter wrote and what it preserved.
 * @group Export: tfjs
 */
export interface TfjsExportReport {
  /** Always `'tfjs'`, as the `ExportArtifact` it travels in. */
  readonly exporter: 'tfjs';
  /** How float32 weights were stored. */
  readonly quantization: TfjsQuantization;
  /** The shard size the weights were cut with. */
  readonly shardSizeBytes: number;
  /** Every file with its size, in the order measured: `model.json`, then the shards in manifest order. */
  readonly files: readonly {
    /** File name, e.g. `model.json`, `group1-shard1of1.bin`. */
    readonly name: string;
    /** Its size in bytes. */
    readonly bytes: number;
  }[];
  /**
   * `raw`: the sum of the files; `deflated`: DEFLATE at zlib level 6 of the files concatenated in
   * `files` order (so the number does not depend on how the weights are sharded); `reduction`:
   * `1 − deflated / raw`. Format it with `formatCompression` for the seed's `512,032 → 303,997 (40.63%)`.
   */
  readonly size: SizeReport;
  /** One entry per exported weight, in manifest order; `layer` groups them per layer. */
  readonly weights: readonly TfjsWeightReport[];
}
