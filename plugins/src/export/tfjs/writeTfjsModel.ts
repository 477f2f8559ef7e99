/**
 * Node-only (fs, zlib): the tfjs exporter's directory writer.
 */
import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { MODEL_JSON, writeDirectoryAtomic, type OptimizationState } from '@collabopt/core';
import { formatCompression, sizeReport } from '../sizeReport';
import { assertExportTarget } from './assertExportTarget';
import type { TfjsExportOptions } from './TfjsExportOptions';
import { TfjsExportError } from '../../errors/TfjsExportError';
import type { TfjsExportReport } from './TfjsExportReport';
import { tfjsModelFiles } from './tfjsModelFiles';

/**
 * What {@link writeTfjsModel} wrote.
 * @group Export: tfjs
 */
export interface WrittenTfjsModel {
  /** Absolute path of the export directory. */
  readonly dir: string;
  /** Absolute path of its `model.json` (what `tf.loadLayersModel` is pointed at). */
  readonly modelJson: string;
  /** The export report (see {@link TfjsExportReport}). */
  readonly report: TfjsExportReport;
  /** `report.size` in the seed's format, e.g. `512,032 → 303,997 (40.63%)`. */
  readonly compression: string;
}

/**
 * Exports a finished model to `dir` in the tfjs Layers format — `model.json` + weight shards that
 * a stock `tf.loadLayersModel` loads — without tfjs-node (see {@link tfjsModelFiles} for what is
 * written and how weights are quantized).
 *
 * Atomic: the files are built in memory first (every error about the model or the options comes
 * before the disk is touched), then written into a sibling temp directory that replaces `dir` by
 * rename (core's `writeDirectoryAtomic`). A failure leaves `dir` as it was — absent, or the previous
 * export — and no partial files. `dir` must not exist, or hold only an earlier export's files
 * (`assertExportTarget`).
 *
 * @param state optimization state whose invariants the written weights must show (see {@link tfjsModelFiles}).
 * @throws PluginOptionsError for invalid options; TfjsExportError for an unusable target, a weight
 *   that cannot be stored, or a failed write — each naming what and where.
 * @group Export: tfjs
 */
export async function writeTfjsModel(
  model: tf.LayersModel,
  dir: string,
  options: TfjsExportOptions = {},
  state?: OptimizationState,
): Promise<WrittenTfjsModel> {
  const { files, report } = await tfjsModelFiles(model, options, sizeReport, state);
  // Checked after the (fallible) build and right before the write, to keep the window in which
  // the directory could change under us small.
  assertExportTarget(dir);
  const target = path.resolve(dir);
  try {
    await writeDirectoryAtomic(target, files);
  } catch (e) {
    throw new TfjsExportError(`could not write the tfjs export to '${dir}': ${(e as Error).message}`);
  }
  return { dir: target, modelJson: path.join(target, MODEL_JSON), report, compression: formatCompression(report.size) };
}
