import type { LayerLowering } from '../LayerLowering';
import { rank4InputProblem } from '../rank4InputProblem';

/** GlobalMaxPooling2D → REDUCE_MAX over [1, 2] (output on the input's grid). */
export const GlobalMaxPooling2DLowering: LayerLowering = {
  className: 'GlobalMaxPooling2D',
  check: (node) => rank4InputProblem(node),
  lower: (ctx, node, [x]) => {
    const out = ctx.sameAs(node, x, ctx.outShape(node));
    ctx.op(node, 'REDUCE_MAX', [x, ctx.int32Constant(`${node.layer.name}/axes`, [2], [1, 2])], [out], { keepDims: false });
    return [out];
  },
};
