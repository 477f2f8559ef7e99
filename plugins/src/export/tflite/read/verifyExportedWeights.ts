import type { ClustersData, Int8GridData, OptimizationState, SparsityData } from '@collabopt/core';
import { weightStats, type WeightStats } from '../../weightStats';
import { int8WeightStats } from './int8WeightStats';
import { storedValues, tensorValues, type TfliteFile } from './readTflite';
import { TfliteExportError } from '../TfliteExportError';
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
 * Reads every kernel back from the written bytes and checks it against what the session claims
 * for its weight, so that a file that does not show the invariants is never written:
 *
 * - `sparsity`: every position the mask prunes is exactly 0 in the file (more zeros are fine:
 *   int8 rounds tiny weights to 0);
 * - `clusters`: at most k distinct values per tensor or per output channel, on the file's real
 *   values (levels × scales). When a BatchNorm was folded into the kernel, a per-tensor claim is
 *   checked per output channel, since folding scales each channel by its own constant;
 * - `int8-grid` (int8 kernels): every level × scale equals the model's value (times the folded
 *   BatchNorm's `m_c`, when one was folded into a per-channel kernel), i.e. the file holds exactly
 *   the trained levels. A BatchNorm folded into a per-tensor (Dense) kernel breaks the grid, which
 *   is noted instead.
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
    const fail = (claim: string, what: string) =>
      new TfliteExportError(
        'invariant',
        `TFLite export: kernel '${t.name}' in the written file (weight '${source.weightId}', ${source.className}) does not show the ` +
          `'${claim}' invariant the session claims: ${what}. Nothing was written.`,
      );
    const verified: string[] = [];
    const notes: string[] = [];
    const sparsity = state?.get<SparsityData>(source.weightId, 'sparsity');
    const clusters = state?.get<ClustersData>(source.weightId, 'clusters');
    const grid = state?.get<Int8GridData>(source.weightId, 'int8-grid');
    // Read back only what a claim needs: a 4M-weight model has most kernels without claims.
    const claimed = sparsity !== undefined || clusters !== undefined || (grid !== undefined && t.type === 'int8');
    const values = claimed ? tensorValues(t) : new Float64Array(0);
    const n = values.length;
    const toKeras = new Int32Array(n);
    for (let j = 0; j < n; j++) toKeras[j] = kerasIndexOf(source, j);

    if (sparsity) {
      const mask = sparsity.data.mask.dataSync();
      for (let j = 0; j < n; j++) {
        if (mask[toKeras[j]] === 0 && values[j] !== 0) {
          throw fail('sparsity', `the pruned position${kerasPosition(source, toKeras[j])} holds ${values[j]}`);
        }
      }
      verified.push('sparsity');
    }

    if (clusters) {
      const { k } = clusters.data;
      let groups = clusters.data.channels;
      if (groups === null && source.foldedScale) {
        groups = source.outChannels;
        notes.push(`clusters (k = ${k}, per tensor) checked per output channel: BatchNormalization '${source.foldedFrom}' was folded in`);
      }
      const sets = Array.from({ length: groups ?? 1 }, () => new Set<number>());
      for (let j = 0; j < n; j++) {
        const g = groups === null ? 0 : toKeras[j] % groups;
        sets[g].add(values[j] === 0 ? 0 : values[j]);
        if (sets[g].size > k) {
          throw fail('clusters', `${sets[g].size} or more distinct values ${groups === null ? 'in the tensor' : `in output channel ${g}`}, at most ${k} claimed`);
        }
      }
      verified.push('clusters');
    }

    if (grid && t.type === 'int8') {
      if (!source.onGrid) {
        notes.push(`int8-grid not kept: BatchNormalization '${source.foldedFrom}' was folded into this per-tensor kernel, so its scale was recomputed`);
      } else {
        // The file must hold exactly the model's values — times m_c when a BatchNorm was folded
        // in (the levels are the trained ones, the scales s_c·|m_c|).
        const w = modelValue(source.weightId);
        const m = source.foldedScale;
        for (let j = 0; j < n; j++) {
          const k = toKeras[j];
          const expected = m ? w[k] * m[k % source.outChannels] : w[k];
          if (Math.abs(values[j] - expected) > (m ? 1e-5 : 1e-6) * Math.abs(expected)) {
            throw fail('int8-grid', `the element${kerasPosition(source, k)} is ${values[j]} in the file but ${expected} in the model${m ? ` (× the folded '${source.foldedFrom}')` : ''}`);
          }
        }
        verified.push('int8-grid');
        if (m) notes.push(`int8-grid verified per channel through the folded BatchNormalization '${source.foldedFrom}' (scales s_c·|m_c|)`);
      }
    }

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
