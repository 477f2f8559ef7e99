import { selectorSchema, SparsityInvariant } from '@collabopt/core';
import { defineTechnique } from '../common/defineTechnique';
import { layerRuleDeclarations } from '../common/layerRuleDeclarations';
import { prune } from './PrunePlugin';
import { pruneOptionsSchema, pruneScheduleConfigSchema, pruneSettingsProperties, stepSpecSchema } from './pruneOptionsSchema';
import { sparsityConstraint } from './SparsityConstraintPlugin';
import { sparsityConstraintOptionsSchema } from './sparsityConstraintOptionsSchema';

const SELECTOR = "import type { Selector } from '@collabopt/core';";
const pruneRule = pruneOptionsSchema.properties.layers.items;

/**
 * Pruning: `prune` (magnitude pruning with schedules) and `sparsityConstraint` (keeps a mask).
 * @group Pruning
 */
export const pruningTechnique = defineTechnique({
  name: 'pruning',
  plugins: [prune, sparsityConstraint],
  establishes: [SparsityInvariant.name],
  optionTypes: [
    {
      path: 'plugins/src/pruning/PruneOptions.ts',
      source: 'pruneOptionsSchema.ts',
      imports: [SELECTOR, "import type { PruningSchedule } from './PruningSchedule';", "import type { StepSpec } from './StepSpec';"],
      named: new Map<object, string>([
        [selectorSchema, 'Selector'],
        [stepSpecSchema.anyOf, 'StepSpec'],
        [pruneScheduleConfigSchema.oneOf, 'PruneScheduleConfig'],
        [pruneRule, 'PruneLayerRule'],
      ]),
      declarations: [
        {
          kind: 'alias',
          name: 'PruneScheduleConfig',
          doc: "A schedule given as JSON (recipes): TFMOT's two schedules.\n@group Pruning",
          schema: pruneScheduleConfigSchema,
        },
        ...layerRuleDeclarations(
          'Prune',
          'prune',
          'Pruning',
          { settings: pruneSettingsProperties, rule: pruneRule, options: pruneOptionsSchema.properties },
          { schedule: 'PruningSchedule' },
        ),
      ],
    },
    {
      path: 'plugins/src/pruning/SparsityConstraintOptions.ts',
      source: 'sparsityConstraintOptionsSchema.ts',
      imports: [SELECTOR],
      named: new Map<object, string>([[selectorSchema, 'Selector']]),
      declarations: [
        {
          kind: 'interface',
          name: 'SparsityConstraintOptions',
          doc: 'Options of {@link sparsityConstraint}, after validation (which fills in the defaults).\n@group Pruning',
          properties: sparsityConstraintOptionsSchema.properties,
          defaultsFilled: true,
        },
      ],
    },
  ],
});
