import { isFixedRangeActivation } from '../../../../common/fixedRangeActivations';
import { FUSED_ACTIVATIONS, type FusableActivation } from '../../../../common/fusedActivations';
import { isSeparateActivation } from '../../../../common/separateActivations';
import { emitSeparateActivation } from '../activationOperators';
import { activationProblem } from '../activationProblem';
import { activationOf } from '../layerConfig';
import type { LayerLowering } from '../LayerLowering';

/**
 * Activation → nothing (linear); RELU / RELU6; LOGISTIC / TANH / SOFTMAX / hardSigmoid's
 * operators on their fixed grids; ELU / GELU / LOGISTIC + MUL (swish) onto the layer's own range.
 */
export const ActivationLowering: LayerLowering = {
  className: 'Activation',
  check: (_node, config) => activationProblem(config),
  lower: (ctx, node, [x], config) => {
    const act = activationOf(config);
    if (act === 'linear') return ctx.alias(node, x);
    if (isFixedRangeActivation(act)) return [ctx.fixedActivation(node, act, x)];
    const out = ctx.output(node, ctx.outShape(node));
    if (isSeparateActivation(act)) emitSeparateActivation(ctx, node, act, x, out);
    // The check admits only linear, the fixed-range, the separate and the fusable activations.
    else ctx.op(node, FUSED_ACTIVATIONS[act as FusableActivation], [x], [out]);
    return [out];
  },
};
