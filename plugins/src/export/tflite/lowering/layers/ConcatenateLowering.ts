import type { LayerLowering } from '../LayerLowering';

/** Concatenate (not along the batch) → CONCATENATION; inputs on another grid are requantized by the int8 pass. */
export const ConcatenateLowering: LayerLowering = {
  className: 'Concatenate',
  check: (node, config) => {
    const rank = node.symbolicOutputs[0].rank;
    const axis = Number(config['axis'] ?? -1);
    const a = axis < 0 ? axis + rank : axis;
    return a >= 1 && a < rank ? null : `axis ${axis}; concatenation along the batch axis cannot be exported`;
  },
  lower: (ctx, node, ins, config) => {
    const outShape = ctx.outShape(node);
    const axis = Number(config['axis'] ?? -1);
    const out = ctx.output(node, outShape);
    ctx.op(node, 'CONCATENATION', [...ins], [out], { axis: axis < 0 ? axis + outShape.length : axis, activation: 'NONE' });
    return [out];
  },
};
