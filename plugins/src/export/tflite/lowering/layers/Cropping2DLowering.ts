import type { LayerLowering } from '../LayerLowering';
import { rank4InputProblem } from '../rank4InputProblem';

/** Cropping2D → SLICE of the kept rows and columns; it moves values only, so the output keeps the input's grid. */
export const Cropping2DLowering: LayerLowering = {
  className: 'Cropping2D',
  check: (node) => rank4InputProblem(node),
  lower: (ctx, node, [x], config) => {
    const [[top], [left]] = config['cropping'] as [[number, number], [number, number]];
    const outShape = ctx.outShape(node);
    const begin = ctx.int32Constant(`${ctx.nameOf(node)}/begin`, [4], [0, top, left, 0]);
    const size = ctx.int32Constant(`${ctx.nameOf(node)}/size`, [4], outShape);
    const out = ctx.sameAs(node, x, outShape);
    ctx.op(node, 'SLICE', [x, begin, size], [out]);
    return [out];
  },
};
