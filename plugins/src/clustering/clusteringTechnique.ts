import { ClustersInvariant, selectorSchema } from '@collabopt/core';
import { defineTechnique } from '../common/defineTechnique';
import { layerRuleDeclarations } from '../common/layerRuleDeclarations';
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
      declarations: layerRuleDeclarations('Cluster', 'cluster', 'Clustering', {
        settings: clusterSettingsProperties,
        rule: clusterRule,
        options: clusterOptionsSchema.properties,
      }),
    },
  ],
});
