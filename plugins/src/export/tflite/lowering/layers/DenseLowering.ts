import { activationProblem } from '../activationProblem';
import { activationOf } from '../layerConfig';
import type { LayerLowering } from '../LayerLowering';
import { stridedDilationProblem } from '../stridedDilationProblem';

/** Dense → FULLY_CONNECTED (keep_num_dims on inputs of rank > 2), its activation fused or after it. */
export const DenseLowering: LayerLowering = {
  className: 'Dense',
  check: (node, config) => {
    const inRank = node.symbolicInputs[0]?.rank ?? 0;
    return activationProblem(config) ?? (inRank < 2 ? `input of rank ${inRank}; Dense needs at least [batch, features]` : null) ?? stridedDilationProblem(config);
  },
  lower: (ctx, node, [x], config) => {
    const units = Number(config['units']);
    const inFeatures = x.shape[x.shape.length - 1];
    const kernel = ctx.kernel(node, 'kernel', [units, inFeatures]);
    const bias = ctx.bias(node, units);
    const keepNumDims = x.shape.length > 2;
    return [
      ctx.activated(node, activationOf(config), ctx.outShape(node), (out, fused) =>
        ctx.op(node, 'FULLY_CONNECTED', [x, kernel, bias], [out], { activation: fused, keepNumDims }),
      ),
    ];
  },
};
