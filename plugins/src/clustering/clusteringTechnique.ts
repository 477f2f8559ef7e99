import { ClustersInvariant, selectorSchema } from '@collabopt/core';
import { defineTechnique } from '../common/defineTechnique';
import { cluster } from './ClusterPlugin';
import { clusterOptionsSchema, clusterSettingsProperties } from './clusterOptionsSchema';

const clusterRule = clusterOptionsSchema.properties.layers.items;

/**
 * Clustering: `cluster` (weight sharing, k centroids per tensor or per output channel).
 * @group Clustering
 */
export const clusteringTechnique = defineTechnique({
  name: 'clustering',
  plugins: [cluster],
  establishes: [ClustersInvariant.name],
  optionTypes: [
    {
      path: 'plugins/src/clustering/ClusterOptions.ts',
      source: 'clusterOptionsSchema.ts',
      imports: ["import type { Selector } from '@collabopt/core';", "import type { CentroidInitialization } from './CentroidInitialization';"],
      named: new Map<object, string>([
        [selectorSchema, 'Selector'],
        [clusterSettingsProperties.init.enum, 'CentroidInitialization'],
        [clusterRule, 'ClusterLayerRule'],
      ]),
      declarations: [
        {
          kind: 'interface',
          name: 'ClusterSettings',
          doc: 'Settings that can differ per layer (top-level options, overridden by `layers[i]`).\n@group Clustering',
          properties: clusterSettingsProperties,
        },
        {
          kind: 'interface',
          name: 'ClusterLayerRule',
          doc: 'A per-layer rule of {@link ClusterOptions.layers}: the weights `select` matches get these settings; omitted ones keep the plugin-wide value.\n@group Clustering',
          properties: clusterRule.properties,
          required: clusterRule.required,
          extends: { name: 'ClusterSettings', properties: clusterSettingsProperties },
        },
        {
          kind: 'interface',
          name: 'ClusterOptions',
          doc: 'Options of {@link cluster}.\n@group Clustering',
          properties: clusterOptionsSchema.properties,
          extends: { name: 'ClusterSettings', properties: clusterSettingsProperties },
        },
      ],
    },
  ],
});
