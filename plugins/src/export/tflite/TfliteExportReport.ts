import type { WeightStats } from '../weightStats';
import type { WrittenOperatorCode } from './serializeTflite';
import type { TfliteIoType, TfliteMode } from './TfliteExportOptions';

/**
 * What the file holds for one model weight, and what was verified against the session's claims.
 * @group Export: TFLite
 */
export interface TfliteWeightReport extends WeightStats {
  /** Weight id in the session (`layer/kernel`). */
  readonly weightId: string;
  /** Name of the layer that owns the weight. */
  readonly layer: string;
  /** The layer's tfjs class name. */
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

/**
 * Scale and zero point of an int8 model input or output (with `inputOutputType: 'int8'`).
 * @group Export: TFLite
 */
export interface TfliteIoQuantization {
  /** Tensor name in the file. */
  readonly name: string;
  /** Its shape (the batch dimension fixed to `batchSize`). */
  readonly shape: readonly number[];
  /** Its type in the file: `float32` or `int8`. */
  readonly dtype: string;
  /** Quantization scale of an int8 tensor (real = scale · (q − zeroPoint)); null for float tensors. */
  readonly scale: number | null;
  /** Zero point of an int8 tensor; null for float tensors. */
  readonly zeroPoint: number | null;
}

/**
 * What {@link exportTflite} reports besides the bytes.
 * @group Export: TFLite
 */
export interface TfliteExportReport {
  /** The mode the file was written in. */
  readonly mode: TfliteMode;
  /** Type of the model inputs and outputs in the file. */
  readonly inputOutputType: TfliteIoType;
  /** Batch dimension the shapes are fixed to. */
  readonly batchSize: number;
  /** Size of the file in bytes. */
  readonly bytes: number;
  /** Operators by code and version, with counts, in the file's `operator_codes` order. */
  readonly operators: readonly (WrittenOperatorCode & {
    /** How many operators of this code and version the graph has. */
    readonly count: number;
  })[];
  /** The model inputs, with scale and zero point when they are int8. */
  readonly inputs: readonly TfliteIoQuantization[];
  /** The model outputs, with scale and zero point when they are int8. */
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
