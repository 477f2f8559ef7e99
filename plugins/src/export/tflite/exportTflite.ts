import type * as tf from '@tensorflow/tfjs';
import type { OptimizationState } from '@collabopt/core';
import { TfliteConverter, type TfliteExport } from './TfliteConverter';
import { resolveTfliteExportOptions } from './resolveTfliteExportOptions';
import type { TfliteExportOptions } from './TfliteExportOptions';

/**
 * Exports a tfjs model as a TFLite flatbuffer, in memory (browser-safe: no file system, no zlib).
 *
 * ```ts
 * const { bytes, report } = await exportTflite(model, { mode: 'int8' }, session.state);
 * ```
 *
 * - `mode`: `float32` (default), `float16`, `dynamic-range` or `int8` (full integer; needs
 *   activation ranges in `state.activationRanges`, from the quantize plugin or
 *   `observeActivationRanges`).
 * - `state`: the optimization state whose claims (`sparsity`, `clusters`, `int8-grid`) the file
 *   must show. Kernels are quantized on the state's `int8-grid` when it has one, and every kernel
 *   is read back from the bytes and verified before this returns.
 *
 * Use `writeTflite` (Node) to write the file atomically with its size report, or the `tflite`
 * exporter plugin to export at the end of a session.
 *
 * @throws PluginOptionsError for invalid options; TfliteExportError for unsupported layers (all
 *   of them, by name and class), missing activation ranges, weights off their claimed grid,
 *   unrepresentable values, or a file that does not show the claimed invariants.
 * @group Export: TFLite
 */
export async function exportTflite(
  model: tf.LayersModel,
  options: Partial<TfliteExportOptions> = {},
  state?: OptimizationState,
): Promise<TfliteExport> {
  const resolved = resolveTfliteExportOptions<TfliteExportOptions>(options);
  return new TfliteConverter(model, resolved, state).convert();
}
