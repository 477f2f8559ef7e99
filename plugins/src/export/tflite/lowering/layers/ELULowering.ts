import type { LayerLowering } from '../LayerLowering';

/** ELU (alpha 1) → ELU (int8: TFLite's lookup table, one rounding onto the layer's own range). */
export const ELULowering: LayerLowering = {
  className: 'ELU',
  check: (_node, config) => {
    const alpha = Number(config['alpha'] ?? 1);
    return alpha === 1 ? null : `alpha ${alpha}; TFLite's ELU computes alpha 1 only`;
  },
  lower: (ctx, node, [x]) => {
    const out = ctx.output(node, ctx.outShape(node));
    ctx.op(node, 'ELU', [x], [out]);
    return [out];
  },
};
