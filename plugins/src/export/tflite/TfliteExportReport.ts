import type { WeightStats } from '../weightStats';
import type { WrittenOperatorCode } from './serializeTflite';
import type { TfliteIoType, TfliteMode } from './TfliteExportOptions';

/** What the file holds for one model weight, and what was verified against the session's claims. */
export interface TfliteWeightReport extends WeightStats {
  /** Weight id in the session (`layer/kernel`). */
  readonly weightId: string;
  readonly layer: string;
  readonly className: string;
  /** Tensor name in the file. */
  readonly tensor: string;
  /** Stored type: float32, float16 or int8. */
  readonly dtype: string;
  /** Shape in the file (TFLite layout). */
  readonly shape: readonly number[];
  /** Number of quantization scales (1: per tensor; 0: not quantized). */
  readonly scales: number;
  /** BatchNormalization folded into this kernel, or null. */
  readonly foldedBatchNorm: string | null;
  /**
   * The session's claims for this weight that were checked on the bytes read back from the file:
   * `sparsity` (every pruned position is 0), `clusters` (at most k distinct values per group),
   * `int8-grid` (the file's levels times its scales are the model's values). A claim that could
   * not hold (e.g. a grid across a folded BatchNorm) is listed in `notes` instead.
   */
  readonly verified: readonly string[];
  /** Why a claim was verified differently or not at all. */
  readonly notes: readonly string[];
}

/** Scale and zero point of an int8 model input or output (with `inputOutputType: 'int8'`). */
export interface TfliteIoQuantization {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly scale: number | null;
  readonly zeroPoint: number | null;
}

/** What {@link exportTflite} reports besides the bytes. */
export interface TfliteExportReport {
  readonly mode: TfliteMode;
  readonly inputOutputType: TfliteIoType;
  readonly batchSize: number;
  /** Size of the file in bytes. */
  readonly bytes: number;
  /** Operators by code and version, with counts, in the file's `operator_codes` order. */
  readonly operators: readonly (WrittenOperatorCode & { readonly count: number })[];
  readonly inputs: readonly TfliteIoQuantization[];
  readonly outputs: readonly TfliteIoQuantization[];
  /** Per model weight stored as a kernel: sparsity, distinct values, verified claims. */
  readonly weights: readonly TfliteWeightReport[];
  /** `"bn → conv"` for every BatchNormalization folded into a kernel. */
  readonly foldedBatchNorms: readonly string[];
  /** BatchNormalization layers written as MUL + ADD. */
  readonly expandedBatchNorms: readonly string[];
  /** `"relu → conv"` for every activation layer fused into the operator before it. */
  readonly fusedActivations: readonly string[];
  /** Layers that compute nothing at inference and were left out. */
  readonly removedLayers: readonly string[];
  /** Quantization decisions worth knowing (grids not kept, derived ranges). */
  readonly notes: readonly string[];
}
