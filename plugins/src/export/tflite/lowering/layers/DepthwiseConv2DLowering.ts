import { activationProblem } from '../activationProblem';
import { activationOf, depthMultiplierOf, pair } from '../layerConfig';
import type { LayerLowering } from '../LayerLowering';
import { ignoredDilationProblem } from '../ignoredDilationProblem';

/** DepthwiseConv2D → DEPTHWISE_CONV_2D over in · multiplier output channels, its activation fused or after it. */
export const DepthwiseConv2DLowering: LayerLowering = {
  className: 'DepthwiseConv2D',
  check: (_node, config) => activationProblem(config) ?? ignoredDilationProblem(config),
  lower: (ctx, node, [x], config) => {
    const [kh, kw] = pair(config['kernelSize'], 1);
    const m = depthMultiplierOf(node.layer, config);
    const channels = x.shape[3] * m;
    const kernel = ctx.kernel(node, 'depthwise_kernel', [1, kh, kw, channels]);
    const bias = ctx.bias(node, channels);
    const options = { ...ctx.convOptions(config), depthMultiplier: m };
    return [
      ctx.activated(node, activationOf(config), ctx.outShape(node), (out, fused) =>
        ctx.op(node, 'DEPTHWISE_CONV_2D', [x, kernel, bias], [out], { ...options, activation: fused }),
      ),
    ];
  },
};
