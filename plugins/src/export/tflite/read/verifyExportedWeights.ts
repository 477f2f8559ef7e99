import type { ExportedKernel, OptimizationState } from '@collabopt/core';
import { verifyKernelInvariants } from '../../verifyKernelInvariants';
import { weightStats, type WeightStats } from '../../weightStats';
import { int8WeightStats } from './int8WeightStats';
import { storedValues, tensorValues, type TfliteFile } from './readTflite';
import { TfliteExportError } from '../../../errors/TfliteExportError';
import type { TfliteWeightReport } from '../TfliteExportReport';
import type { WeightSource } from '../TfliteGraph';
import { fileChannelPosition, kerasIndexOf, kerasPosition } from '../weightLayout';

/** A kernel tensor of the written file and the model weight it came from. */
export interface ExportedWeight {
  /** Index of the tensor in the file's subgraph. */
  readonly tensorIndex: number;
  readonly source: WeightSource;
}

/**
 * Reads every kernel back from the written bytes and checks it against every invariant the
 * session's state holds for its weight, through the invariant's own export check (see core's
 * `checkExportedKernel`: `checkExported`, else the run-time `check` on the file's values), so that
 * a file that does not show the invariants — built-in or custom — is never written. The built-ins:
 *
 * - `sparsity`: every position the mask prunes is exactly 0 in the file (more zeros are fine:
 *   int8 rounds tiny weights to 0);
 * - `clusters`: at most k distinct values per tensor or per output channel, on the file's real
 *   values (levels × scales); per output channel when a BatchNorm was folded into the kernel;
 * - `int8-grid` (int8 kernels): every level × scale equals the model's value (times the folded
 *   BatchNorm's `m_c`), i.e. the file holds exactly the trained levels.
 *
 * Also measures, on the stored values, each kernel's sparsity and distinct values (per tensor and
 * per output channel) for the report.
 *
 * @param modelValue the model's current value of a weight (Keras layout), for the grid check.
 * @throws TfliteExportError (`invariant`) naming the weight, the file tensor, the claim and where
 *   it fails.
 */
export function verifyExportedWeights(
  file: TfliteFile,
  weights: readonly ExportedWeight[],
  state: OptimizationState | undefined,
  modelValue: (weightId: string) => ArrayLike<number>,
): TfliteWeightReport[] {
  return weights.map(({ tensorIndex, source }) => {
    const t = file.tensors[tensorIndex];
    // The file's values are read on first use: a 4M-weight model has most kernels without claims.
    const { verified, notes } = verifyKernelInvariants(
      exportedKernel(t, source, modelValue),
      state,
      (invariant, violation) =>
        new TfliteExportError(
          'invariant',
          `TFLite export: kernel '${t.name}' in the written file (weight '${source.weightId}', ${source.className}) does not show the ` +
            `'${invariant}' invariant the session claims: ${violation}. Nothing was written.`,
        ),
    );

    // Statistics of the stored values, grouped by output channel.
    const stored = storedValues(t);
    let stats: WeightStats;
    if (stored instanceof Int8Array) stats = int8WeightStats(stored, source.outChannels, fileChannelPosition(source));
    else {
      const kerasOrdered = new Float64Array(stored.length);
      for (let j = 0; j < stored.length; j++) kerasOrdered[kerasIndexOf(source, j)] = stored[j];
      stats = weightStats(kerasOrdered, source.outChannels);
    }
    return {
      ...stats,
      weightId: source.weightId,
      layer: source.layer,
      className: source.className,
      tensor: t.name,
      dtype: t.type,
      shape: t.shape,
      scales: t.quantization?.scales.length ?? 0,
      foldedBatchNorm: source.foldedFrom,
      verified,
      notes,
    };
  });
}

/** The kernel as invariants see it: the file's values in Keras order, read on first use. */
function exportedKernel(t: TfliteFile['tensors'][number], source: WeightSource, modelValue: (weightId: string) => ArrayLike<number>): ExportedKernel {
  let values: Float64Array | null = null;
  return {
    weightId: source.weightId,
    shape: source.kerasShape,
    dtype: t.type,
    outChannels: source.outChannels,
    get values() {
      if (!values) {
        const file = tensorValues(t);
        values = new Float64Array(file.length);
        for (let j = 0; j < file.length; j++) values[kerasIndexOf(source, j)] = file[j];
      }
      return values;
    },
    foldedScale: source.foldedScale,
    foldedFrom: source.foldedFrom,
    onStateGrid: source.onGrid === true,
    modelValues: () => modelValue(source.weightId),
    position: (k) => kerasPosition(source, k),
  };
}
