import type { ExportedKernel, OptimizationState } from '@collabopt/core';
import { OnnxExportError } from '../../../errors/OnnxExportError';
import { verifyKernelInvariants } from '../../verifyKernelInvariants';
import { weightStats } from '../../weightStats';
import { kerasIndexOf, kerasPosition } from '../../tflite/weightLayout';
import type { OnnxWeightReport } from '../OnnxExportReport';
import { inversePermutation, permute } from '../permute';
import type { OnnxKernel } from '../translateGraph';
import { initializerValues, type OnnxFile } from './readOnnx';

/**
 * Reads every kernel back from the written ONNX bytes and checks it against every invariant the
 * session's state holds for its weight, through each invariant's own export check (core's
 * `checkExportedKernel`, via `verifyKernelInvariants`, as the TFLite exporter does), so custom
 * invariants are verified too. The file's real values (`scale · (q − zero point)` of the
 * DequantizeLinear reading the initializer) are put back in Keras order through the initializer's
 * permutation and the operator graph's kernel layout. Also measures sparsity and distinct values
 * (per tensor and per output channel) on those values for the report.
 *
 * @throws OnnxExportError (`invariant`) naming the weight, the initializer, the claim and where it fails.
 * @group Export: ONNX
 */
export function verifyOnnxWeights(
  file: OnnxFile,
  kernels: readonly OnnxKernel[],
  state: OptimizationState | undefined,
  modelValue: (weightId: string) => ArrayLike<number>,
): OnnxWeightReport[] {
  return kernels.map((k) => {
    const t = file.initializers.get(k.initializer);
    if (!t) throw new OnnxExportError('corrupt-file', `ONNX export: the written file has no initializer '${k.initializer}' (weight '${k.source.weightId}')`);
    let keras: Float64Array | null = null;
    const values = (): Float64Array => {
      if (keras) return keras;
      const graphOrder = permute(initializerValues(t), t.shape, inversePermutation(k.perm));
      keras = new Float64Array(graphOrder.length);
      for (let j = 0; j < graphOrder.length; j++) keras[kerasIndexOf(k.source, j)] = graphOrder[j];
      return keras;
    };
    const kernel: ExportedKernel = {
      weightId: k.source.weightId,
      shape: k.source.kerasShape,
      dtype: t.dtype,
      outChannels: k.source.outChannels,
      get values() {
        return values();
      },
      foldedScale: k.source.foldedScale,
      foldedFrom: k.source.foldedFrom,
      onStateGrid: k.source.onGrid === true,
      modelValues: () => modelValue(k.source.weightId),
      position: (i) => kerasPosition(k.source, i),
    };
    const { verified, notes } = verifyKernelInvariants(kernel, state, (invariant, violation) =>
      new OnnxExportError(
        'invariant',
        `ONNX export: initializer '${t.name}' in the written file (weight '${k.source.weightId}', ${k.source.className}) does not show the ` +
          `'${invariant}' invariant the session claims: ${violation}. Nothing was written.`,
      ),
    );
    return {
      ...weightStats(values(), k.source.outChannels),
      weightId: k.source.weightId,
      layer: k.source.layer,
      className: k.source.className,
      initializer: t.name,
      dtype: t.dtype,
      shape: t.shape,
      scales: t.quantization?.scales.length ?? 0,
      foldedBatchNorm: k.source.foldedFrom,
      verified,
      notes,
    };
  });
}
