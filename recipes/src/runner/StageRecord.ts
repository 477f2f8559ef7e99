import type { SizeReport } from '@collabopt/plugins';
import type { STAGE_FORMAT_VERSION } from './stageHashes';
import type { TfliteRuntime } from './TfliteRuntime';

/** Loss and metrics at the end of one training epoch. */
export interface EpochLog {
  /** 0-based epoch of the stage. */
  readonly epoch: number;
  readonly loss: number;
  /** Training accuracy as tfjs reports it for the epoch (mean over batches), when measured. */
  readonly accuracy?: number;
}

/** Sparsity and distinct values of one kernel of the model after a stage. */
export interface KernelStats {
  /** Weight id, `layer/kernel`. */
  readonly id: string;
  readonly layer: string;
  readonly className: string;
  readonly shape: readonly number[];
  readonly size: number;
  /** Fraction of exact zeros. */
  readonly sparsity: number;
  /** Distinct values in the whole tensor. */
  readonly distinct: number;
  /** Largest number of distinct values in one output channel. */
  readonly distinctPerChannel: number;
  /** Invariants the optimization state holds for this weight after the stage (`sparsity`, `clusters`, `int8-grid`). */
  readonly invariants: readonly string[];
}

/** The values of one kernel after a stage, for the density plots of the report. */
export interface KernelSample {
  /** Weight id, the same kernel at every stage of a recipe. */
  readonly weight: string;
  /** Its values (every `stride`-th one, for big kernels). */
  readonly values: readonly number[];
  /** 1 when `values` is the whole kernel. */
  readonly stride: number;
}

/** The stage as a full-integer int8 TFLite file, measured: the INT8 column of the results table. */
export interface Int8Result {
  /** The file written, relative to the stage directory; null when the export failed. */
  readonly file: string | null;
  /**
   * Where the activation ranges came from: `'session'` (the stage's quantize plugin: QAT ranges
   * or its own PTQ calibration) or `'calibrated'` (a float model: post-training quantization on the
   * representative data, as the seed's "INT8 full integer quantization" of float models).
   */
  readonly ranges: 'session' | 'calibrated' | null;
  /** Raw and zlib-6 deflated size of the file. */
  readonly size: SizeReport | null;
  /** `raw → deflated (x%)`, the seed's compression cell. */
  readonly compression: string | null;
  /** Top-1 accuracy of the file run on the test split (in `runtime`); null: see `unavailable`. */
  readonly accuracy: number | null;
  /** Mean milliseconds per single-sample inference during that run (1 thread). */
  readonly latencyMs: number | null;
  /**
   * The runtime that measured `accuracy` and `latencyMs`, or null when nothing was measured.
   * Absent in records written before LiteRT was measured: those were TFLite 2.9.
   */
  readonly runtime?: TfliteRuntime | null;
  /** Why `accuracy` is null (no runtime available, export failed), else null. */
  readonly unavailable: string | null;
  /** What the exporter verified on the bytes read back from the file, per kernel. */
  readonly verified: Readonly<Record<string, readonly string[]>>;
}

/**
 * What a finished stage recorded (`stage.json`, written last into the stage directory, so its
 * presence marks the stage complete). Everything the results table and the report show comes
 * from here, so a resumed run shows the numbers of the run that trained the stage.
 */
export interface StageRecord {
  readonly format: 'collabopt-stage';
  readonly version: typeof STAGE_FORMAT_VERSION;
  /** Content hash of the pipeline prefix that produced this stage (see `stageHashes`). */
  readonly hash: string;
  /** Recipe that produced it. */
  readonly recipe: string;
  /** 0 for the baseline, then the stage's 1-based position. */
  readonly index: number;
  /** `'baseline'` or the stage's name. */
  readonly name: string;
  /** Stage names from the baseline to this stage. */
  readonly path: readonly string[];
  /** The stage emulates int8 (a quantize plugin): `accuracy` is the fake-int8 accuracy. */
  readonly quantized: boolean;
  /** Plugins of the stage in composer order. */
  readonly plugins: readonly string[];
  readonly training: {
    readonly epochs: number;
    readonly steps: number;
    readonly batchSize: number | null;
    /** Calibration batches run (post-training quantization stages). */
    readonly calibrationBatches: number;
    readonly seconds: number;
    readonly history: readonly EpochLog[];
  };
  /** FP32 top-1 on the test split (fake-int8 when `quantized`). */
  readonly accuracy: number;
  readonly testSamples: number;
  readonly int8: Int8Result;
  /** Every kernel of the model after the stage. */
  readonly kernels: readonly KernelStats[];
  readonly kernelSample: KernelSample | null;
  /** ISO time the stage finished. */
  readonly finishedAt: string;
}
