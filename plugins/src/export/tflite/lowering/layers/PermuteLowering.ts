import type { LayerLowering } from '../LayerLowering';

/** Permute → TRANSPOSE (batch axis first, then `dims`, which tfjs counts from 1); the output keeps the input's grid. */
export const PermuteLowering: LayerLowering = {
  className: 'Permute',
  check: (node) => {
    const rank = node.symbolicInputs[0]?.rank ?? 0;
    // TFLite 2.9's TRANSPOSE kernels (versions 1–2, what every runtime registers) take up to 4 dimensions.
    return rank <= 4 ? null : `input of rank ${rank}; TFLite's TRANSPOSE (versions 1–2) handles up to 4 dimensions`;
  },
  lower: (ctx, node, [x], config) => {
    const dims = config['dims'] as number[];
    const perm = ctx.int32Constant(`${ctx.nameOf(node)}/perm`, [dims.length + 1], [0, ...dims]);
    const out = ctx.sameAs(node, x, ctx.outShape(node));
    ctx.op(node, 'TRANSPOSE', [x, perm], [out]);
    return [out];
  },
};
