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
