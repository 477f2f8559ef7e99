import type { LayerLowering } from '../LayerLowering';
import { rank4InputProblem } from '../rank4InputProblem';

/** ZeroPadding2D → PAD. PAD fills with the zero point, i.e. real 0, so input and output share quantization. */
export const ZeroPadding2DLowering: LayerLowering = {
  className: 'ZeroPadding2D',
  check: (node) => rank4InputProblem(node),
  lower: (ctx, node, [x], config) => {
    const [[top, bottom], [left, right]] = config['padding'] as [[number, number], [number, number]];
    const paddings = ctx.int32Constant(`${node.layer.name}/paddings`, [4, 2], [0, 0, top, bottom, left, right, 0, 0]);
    const out = ctx.sameAs(node, x, ctx.outShape(node));
    ctx.op(node, 'PAD', [x, paddings], [out]);
    return [out];
  },
};
