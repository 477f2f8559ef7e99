import type { LayerLowering } from '../LayerLowering';

/** Softmax (last axis) → SOFTMAX on its fixed grid. */
export const SoftmaxLowering: LayerLowering = {
  className: 'Softmax',
  check: (node, config) => {
    const inRank = node.symbolicInputs[0]?.rank ?? 0;
    const axis = Number(config['axis'] ?? -1);
    return axis === -1 || axis === inRank - 1 ? null : `axis ${axis}; TFLite SOFTMAX works on the last axis only`;
  },
  lower: (ctx, node, [x]) => [ctx.fixedActivation(node, 'softmax', x)],
};
