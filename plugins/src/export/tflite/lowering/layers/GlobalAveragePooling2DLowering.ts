import type { LayerLowering } from '../LayerLowering';
import { rank4InputProblem } from '../rank4InputProblem';

/** GlobalAveragePooling2D → MEAN over [1, 2], on the layer's own range. */
export const GlobalAveragePooling2DLowering: LayerLowering = {
  className: 'GlobalAveragePooling2D',
  check: (node) => rank4InputProblem(node),
  lower: (ctx, node, [x]) => {
    const out = ctx.output(node, ctx.outShape(node));
    ctx.op(node, 'MEAN', [x, ctx.int32Constant(`${node.layer.name}/axes`, [2], [1, 2])], [out], { keepDims: false });
    return [out];
  },
};
