import type { LayerLowering } from '../LayerLowering';

/** ReLU (no maximum, or 6) → RELU / RELU6; the fusion pass merges it into its producer where it can. */
export const ReLULowering: LayerLowering = {
  className: 'ReLU',
  check: (_node, config) => {
    const maxValue = config['maxValue'];
    return maxValue !== undefined && maxValue !== null && maxValue !== 6 ? `maxValue ${String(maxValue)}; TFLite has RELU and RELU6 only` : null;
  },
  lower: (ctx, node, [x], config) => {
    const out = ctx.output(node, ctx.outShape(node));
    ctx.op(node, config['maxValue'] === 6 ? 'RELU6' : 'RELU', [x], [out]);
    return [out];
  },
};
