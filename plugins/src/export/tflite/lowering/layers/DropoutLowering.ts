import type { LayerLowering } from '../LayerLowering';

/** Dropout computes nothing at inference: removed. */
export const DropoutLowering: LayerLowering = {
  className: 'Dropout',
  lower: (ctx, node, [x]) => ctx.alias(node, x),
};
