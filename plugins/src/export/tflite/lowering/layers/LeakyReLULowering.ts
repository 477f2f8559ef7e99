import type { LayerLowering } from '../LayerLowering';

/** LeakyReLU → LEAKY_RELU with the layer's `alpha` (int8: TFLite's kernel rescales both branches onto the layer's own range, one rounding). */
export const LeakyReLULowering: LayerLowering = {
  className: 'LeakyReLU',
  lower: (ctx, node, [x], config) => {
    const out = ctx.output(node, ctx.outShape(node));
    ctx.op(node, 'LEAKY_RELU', [x], [out], { alpha: Number(config['alpha'] ?? 0.3) });
    return [out];
  },
};
