import { TfliteExportError } from '../../../../errors/TfliteExportError';
import type { LayerLowering } from '../LayerLowering';

/**
 * BatchNormalization → a `BATCH_NORM` placeholder `y = x · m + o` per channel, which the
 * `foldBatchNorm` pass folds into the preceding kernel or writes as MUL + ADD.
 */
export const BatchNormalizationLowering: LayerLowering = {
  className: 'BatchNormalization',
  check: (node, config) => {
    const inRank = node.symbolicInputs[0]?.rank ?? 0;
    const axis = Number(config['axis'] ?? -1);
    if (axis !== -1 && axis !== inRank - 1) return `axis ${axis}; only the last (channel) axis can be folded or written as MUL + ADD`;
    return inRank < 2 ? `input of rank ${inRank}` : null;
  },
  lower: (ctx, node, [x], config) => {
    const layer = node.layer;
    const channels = x.shape[x.shape.length - 1];
    const epsilon = Number(config['epsilon'] ?? 1e-3);
    const gamma = ctx.hasWeight(node, 'gamma') ? ctx.values(node, 'gamma') : new Float32Array(channels).fill(1);
    const beta = ctx.hasWeight(node, 'beta') ? ctx.values(node, 'beta') : new Float32Array(channels);
    const mean = ctx.values(node, 'moving_mean');
    const variance = ctx.values(node, 'moving_variance');
    const multiplier = new Float64Array(channels);
    const offset = new Float64Array(channels);
    for (let c = 0; c < channels; c++) {
      multiplier[c] = gamma[c] / Math.sqrt(variance[c] + epsilon);
      offset[c] = beta[c] - mean[c] * multiplier[c];
      if (!Number.isFinite(multiplier[c]) || !Number.isFinite(offset[c])) {
        throw new TfliteExportError(
          'numeric',
          `TFLite export: BatchNormalization '${layer.name}' channel ${c} has gamma ${gamma[c]}, variance ${variance[c]}, ` +
            `epsilon ${epsilon}: its multiplier gamma / sqrt(variance + epsilon) is not finite`,
        );
      }
    }
    const out = ctx.output(node, ctx.outShape(node));
    ctx.op(node, 'BATCH_NORM', [x], [out], { multiplier, offset });
    return [out];
  },
};
