/**
 * An observer plugin: at the end of every epoch it writes, per targeted kernel, the fraction of
 * exact zeros and the number of distinct values into the epoch logs — what will compress — so
 * they appear in `fit()`'s History next to the loss. It changes no weight.
 * docs/guides/authoring-plugins.md walks through it.
 */
import { definePlugin, selectorListSchema, Stage, type Selector, type PluginContext } from '@collabopt/core';

// #region plugin
/** Options of {@link weightMonitor}. */
export interface WeightMonitorOptions {
  /** Layers to watch (default: every kernel of the model). */
  readonly include?: readonly Selector[];
  readonly exclude?: readonly Selector[];
}

/** Logs `zeros/<layer>` (fraction of exact zeros) and `distinct/<layer>` (distinct values) of every kernel at each epoch end. */
export const weightMonitor = definePlugin<WeightMonitorOptions>({
  name: 'weightMonitor',
  optionsSchema: {
    type: 'object',
    properties: { include: selectorListSchema, exclude: selectorListSchema },
    additionalProperties: false,
  },
  // It taps no projection, so it cannot break an invariant; the composer has nothing to check.
  invariants: { establishes: [], preserves: [], requires: [] },
  create({ include, exclude }) {
    return {
      apply(ctx: PluginContext) {
        const kernels = ctx.targets({
          plugin: 'weightMonitor',
          support: (layer) => (layer.getWeights().length > 0 ? { default: ['kernel', 'depthwise_kernel', 'pointwise_kernel'] } : null),
          spec: { include, exclude },
          defaults: {},
        });
        // REPORT: after every plugin has updated the weights for this epoch, and after the session's checks.
        ctx.hooks.epochEnd.tap({ name: 'weightMonitor', stage: Stage.REPORT }, ({ logs }) => {
          for (const { weight } of kernels) {
            const values = weight.value().dataSync(); // the projected weights the model holds now
            logs[`zeros/${weight.layer.name}`] = values.filter((v) => v === 0).length / values.length;
            logs[`distinct/${weight.layer.name}`] = new Set(values).size;
          }
        });
      },
    };
  },
});
// #endregion plugin
