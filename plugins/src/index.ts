/**
 * @packageDocumentation
 * `@collabopt/plugins`: the first set of collabopt plugins — pruning (`prune`,
 * `sparsityConstraint`), clustering and quantization numerics, exporters. This entry is
 * browser-safe; the Node entry adds file-writing exporters and size reports.
 */
export * from './pruning/index';
export * from './clustering/index';
export * from './quantization/index';
export { kernelSupport } from './common/kernelSupport';
export { weightStats } from './export/weightStats';
export type { WeightStats } from './export/weightStats';
export { tfjsModelFiles } from './export/tfjs/tfjsModelFiles';
export type { TfjsModelFiles } from './export/tfjs/tfjsModelFiles';
export { TFJS_EXPORT_OPTIONS_SCHEMA, DEFAULT_SHARD_SIZE_BYTES } from './export/tfjs/TfjsExportOptions';
export type { TfjsExportOptions } from './export/tfjs/TfjsExportOptions';
export type { TfjsExportReport, TfjsWeightReport } from './export/tfjs/TfjsExportReport';
export { TFJS_QUANTIZATIONS } from './export/tfjs/TfjsQuantization';
export type { TfjsQuantization } from './export/tfjs/TfjsQuantization';
export { TfjsExportError } from './export/tfjs/TfjsExportError';
export { measureDeflate } from './export/tfjs/measureDeflate';
export type { SizeMeasure } from './export/tfjs/SizeMeasure';
