import { isFixedRangeActivation } from '../../../../common/fixedRangeActivations';
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
    ctx.op(node, act === 'relu' ? 'RELU' : 'RELU6', [x], [out]);
    return [out];
  },
};
