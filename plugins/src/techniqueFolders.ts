/**
 * The technique folders of `@collabopt/plugins`, one line each: registering a technique is adding
 * its folder's line here. The package entry re-exports them, and {@link techniques} collects the
 * {@link Technique} each folder exports.
 */
export * from './pruning/index';
export * from './clustering/index';
export * from './quantization/index';
