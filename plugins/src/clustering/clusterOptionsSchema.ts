/**
 * The options of `cluster`, as JSON Schema: the one source of their types (ClusterOptions.ts,
 * generated), the README table, the recipe reference and the defaults the plugin applies.
 * After an edit, `npm run docs:sync` regenerates what derives from it.
 */
import { targetingSchema } from '@collabopt/core';
import { optionDefaults } from '../common/optionDefaults';
import { CentroidInitialization } from './CentroidInitialization';

/** The settings of `cluster` that can differ per layer. @internal */
export const clusterSettingsProperties = {
  numClusters: {
    type: 'integer',
    minimum: 1,
    maximum: 65536,
    default: 16,
    description: 'Number of clusters k, per tensor (or per output channel with `perChannel`); a weight that inherits `clusters` keeps its own k.',
  },
  init: {
    enum: Object.values(CentroidInitialization),
    default: CentroidInitialization.KMEANS_PLUS_PLUS,
    description: 'Centroid initialisation (TFMOT\'s default is `kmeans++`), seeded by the session\'s (the recipe\'s) `seed`.',
  },
  perChannel: {
    type: 'boolean',
    default: false,
    description: 'One set of k centroids per output channel instead of per tensor (channels-last kernels; DepthwiseConv2D per real output channel).',
  },
  refineIterations: { type: 'integer', minimum: 0, maximum: 1000, default: 0, description: 'Lloyd (k-means) iterations after initialisation (TFMOT has none).' },
} as const;

/**
 * JSON Schema of the `cluster` options, with a description and (where omitting means a value) a
 * default for every option.
 * @group Clustering
 * @jsonSchema
 */
export const clusterOptionsSchema = {
  type: 'object',
  properties: {
    ...clusterSettingsProperties,
    preserveSparsity: {
      enum: ['auto', false],
      default: 'auto',
      description: '`auto`: sparsity-aware on weights where `sparsity` is active (a centroid is pinned at 0); `false`: ignore sparsity (then `cluster` does not preserve it, and the composer says so).',
    },
    centroidUpdate: {
      enum: ['mean', 'sum'],
      default: 'mean',
      description:
        'How a centroid follows the optimizer: by the `mean` of its members\' steps, or by their `sum` (TFMOT\'s summed member gradients; with adaptive optimizers a centroid then moves by about members × learning rate per step).',
    },
    ...targetingSchema(clusterSettingsProperties, { select: ['fc2'], numClusters: 32 }),
  },
  additionalProperties: false,
} as const;

/** The defaults of the options, for settings validation does not fill in (per-layer rules inherit them). @internal */
export const clusterDefaults = optionDefaults(clusterOptionsSchema.properties);
