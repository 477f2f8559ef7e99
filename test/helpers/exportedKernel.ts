/**
 * An `ExportedKernel` as an exporter hands it to `Invariant.checkExported`, built from plain
 * values for invariant tests: float32, 2 output channels, `shape` [values / 2, 2], stored on the
 * state's grid, the model values equal to the file's, positions written ` at k`, unless given.
 */
import type { ExportedKernel } from '@collabopt/core';

export function exportedKernel(
  values: number[],
  options: { readonly dtype?: string; readonly outChannels?: number; readonly foldedScale?: number[] | null; readonly model?: number[]; readonly onStateGrid?: boolean; readonly position?: (k: number) => string } = {},
): ExportedKernel {
  const outChannels = options.outChannels ?? 2;
  const foldedScale = options.foldedScale ?? null;
  return {
    weightId: 'layer/kernel',
    shape: [values.length / outChannels, outChannels],
    dtype: options.dtype ?? 'float32',
    outChannels,
    values,
    foldedScale,
    foldedFrom: foldedScale ? 'bn' : null,
    onStateGrid: options.onStateGrid ?? true,
    modelValues: () => options.model ?? values,
    position: options.position ?? ((k) => ` at ${k}`),
  };
}
