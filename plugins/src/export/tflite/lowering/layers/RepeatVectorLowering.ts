import type { LayerLowering } from '../LayerLowering';

/**
 * RepeatVector ([b, n] → [b, k, n]) → RESHAPE to [b, 1, n], then CONCATENATION of k copies
 * along axis 1. Every builtin version runs both in every mode (TILE's int8 kernel needs a newer
 * runtime than TFLite 2.9's op set guarantees), and both keep the input's grid, so the int8 file
 * rounds nothing.
 */
export const RepeatVectorLowering: LayerLowering = {
  className: 'RepeatVector',
  lower: (ctx, node, [x], config) => {
    const n = Number(config['n']);
    const row = [x.shape[0], 1, x.shape[1]];
    const reshaped = ctx.sameAs(node, x, row);
    reshaped.name = ctx.nameOf(node, 'row');
    ctx.op(node, 'RESHAPE', [x, ctx.int32Constant(`${ctx.nameOf(node)}/shape`, [3], row)], [reshaped], { newShape: row });
    const out = ctx.sameAs(node, x, ctx.outShape(node));
    ctx.op(node, 'CONCATENATION', Array.from({ length: n }, () => reshaped), [out], { axis: 1, activation: 'NONE' });
    return [out];
  },
};
