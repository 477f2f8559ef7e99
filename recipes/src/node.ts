/**
 * @packageDocumentation
 * Node entry of `@collabopt/recipes`: datasets read from local files (no downloads at run time).
 */
export * from './index';
export { loadMnist, mnistDataDir } from './datasets/loadMnist';
export type { MnistOptions, MnistBatch } from './datasets/loadMnist';
export { readIdx } from './datasets/readIdx';
export type { IdxArray } from './datasets/readIdx';
