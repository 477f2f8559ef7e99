import { activationProblem } from '../activationProblem';
import { activationOf, pair } from '../layerConfig';
import type { LayerLowering } from '../LayerLowering';
import { stridedDilationProblem } from '../stridedDilationProblem';

/** Conv2D → CONV_2D, its activation fused or after it. */
export const Conv2DLowering: LayerLowering = {
  className: 'Conv2D',
  check: (_node, config) => activationProblem(config) ?? stridedDilationProblem(config),
  lower: (ctx, node, [x], config) => {
    const [kh, kw] = pair(config['kernelSize'], 1);
    const filters = Number(config['filters']);
    const kernel = ctx.kernel(node, 'kernel', [filters, kh, kw, x.shape[3]]);
    const bias = ctx.bias(node, filters);
    const options = ctx.convOptions(config);
    return [
      ctx.activated(node, activationOf(config), ctx.outShape(node), (out, fused) =>
        ctx.op(node, 'CONV_2D', [x, kernel, bias], [out], { ...options, activation: fused }),
      ),
    ];
  },
};
