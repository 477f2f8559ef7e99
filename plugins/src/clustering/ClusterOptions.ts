// Generated from clusterOptionsSchema.ts by `npm run docs:sync`; do not edit: change the schema and run it again.
import type { Selector } from '@collabopt/core';
import type { CentroidInitialization } from './CentroidInitialization';

/**
 * Settings that can differ per layer (top-level options, overridden by `layers[i]`).
 * @group Clustering
 */
export interface ClusterSettings {
  /**
   * Number of clusters k, per tensor (or per output channel with `perChannel`); a weight that
   * inherits `clusters` keeps its own k.
   * @defaultValue `16`
   */
  readonly numClusters?: number;
  /**
   * Centroid initialisation (TFMOT's default is `kmeans++`), seeded by the session's (the recipe's)
   * `seed`.
   * @defaultValue `"kmeans++"`
   */
  readonly init?: CentroidInitialization;
  /**
   * One set of k centroids per output channel instead of per tensor (channels-last kernels;
   * DepthwiseConv2D per real output channel).
   * @defaultValue `false`
   */
  readonly perChannel?: boolean;
  /**
   * Lloyd (k-means) iterations after initialisation (TFMOT has none).
   * @defaultValue `0`
   */
  readonly refineIterations?: number;
}

/**
 * A per-layer rule of {@link ClusterOptions.layers}: the weights `select` matches get these
 * settings; omitted ones keep the plugin-wide value.
 * @group Clustering
 */
export interface ClusterLayerRule extends ClusterSettings {
  /** The layers or weights this rule applies to (selectors as in `include`). */
  readonly select: readonly Selector[];
}

/**
 * Options of {@link cluster}.
 * @group Clustering
 */
export interface ClusterOptions extends ClusterSettings {
  /**
   * `auto`: sparsity-aware on weights where `sparsity` is active (a centroid is pinned at 0);
   * `false`: ignore sparsity (then `cluster` does not preserve it, and the composer says so).
   * @defaultValue `"auto"`
   */
  readonly preserveSparsity?: 'auto' | false;
  /**
   * How a centroid follows the optimizer: by the `mean` of its members' steps, or by their `sum`
   * (TFMOT's summed member gradients; with adaptive optimizers a centroid then moves by about
   * members × learning rate per step).
   * @defaultValue `"mean"`
   */
  readonly centroidUpdate?: 'mean' | 'sum';
  /**
   * Layers or weights to apply to: exact layer names, weight ids (`"conv1/bias"`), `"/regex/"` over
   * layer names, or `{ "className": "Conv2D" }`. Omitted: every weight the plugin supports by
   * default (kernels).
   */
  readonly include?: readonly Selector[];
  /**
   * Layers or weights to leave alone (selectors as in `include`); wins over `include`. Omitted:
   * none.
   */
  readonly exclude?: readonly Selector[];
  /**
   * Per-layer rules: the weights matched by a rule's `select` get its settings over the plugin-wide
   * ones; a weight matched by two rules with different settings is an error. Omitted: the
   * plugin-wide settings everywhere.
   */
  readonly layers?: readonly ClusterLayerRule[];
}
