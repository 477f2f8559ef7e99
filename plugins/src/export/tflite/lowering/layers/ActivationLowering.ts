import { isFixedRangeActivation } from '../../../../common/fixedRangeActivations';
import { FUSED_ACTIVATIONS, type FusableActivation } from '../../../../common/fusedActivations';
import { activationProblem } from '../activationProblem';
import { activationOf } from '../layerConfig';
import type { LayerLowering } from '../LayerLowering';

/** Activation → nothing (linear), RELU / RELU6, or LOGISTIC / TANH / SOFTMAX on their fixed grids. */
export const ActivationLowering: LayerLowering = {
  className: 'Activation',
  check: (_node, config) => activationProblem(config),
  lower: (ctx, node, [x], config) => {
    const act = activationOf(config);
    if (act === 'linear') return ctx.alias(node, x);
    if (isFixedRangeActivation(act)) return [ctx.fixedActivation(node, act, x)];
    const out = ctx.output(node, ctx.outShape(node));
    // The check admits only linear, the fixed-range and the fusable activations.
    ctx.op(node, FUSED_ACTIVATIONS[act as FusableActivation], [x], [out]);
    return [out];
  },
};
