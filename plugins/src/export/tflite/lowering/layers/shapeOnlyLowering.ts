import type { LayerLowering } from '../LayerLowering';

/** The lowering of a class that only changes the shape: RESHAPE on the input's grid, nothing when the shape stays. */
export function shapeOnlyLowering(className: string): LayerLowering {
  return {
    className,
    lower: (ctx, node, [x]) => {
      const outShape = ctx.outShape(node);
      if (outShape.length === x.shape.length && outShape.every((d, i) => d === x.shape[i])) return ctx.alias(node, x);
      const out = ctx.sameAs(node, x, outShape);
      ctx.op(node, 'RESHAPE', [x, ctx.int32Constant(`${ctx.nameOf(node)}/shape`, [outShape.length], outShape)], [out], { newShape: outShape });
      return [out];
    },
  };
}
