import type { ActivationRange } from '@collabopt/core';
import { separableDepthwiseRangeKey } from '../../../../common/separableDepthwiseRangeKey';
import { GraphTensor } from '../../TfliteGraph';
import { activationProblem } from '../activationProblem';
import { activationOf, depthMultiplierOf, pair } from '../layerConfig';
import type { LayerLowering } from '../LayerLowering';
import { stridedDilationProblem } from '../stridedDilationProblem';

/**
 * SeparableConv2D → DEPTHWISE_CONV_2D (no bias) + 1×1 CONV_2D. TFMOT's SeparableConvQuantize
 * transform does the same: the tensor in between gets an activation range of its own.
 */
export const SeparableConv2DLowering: LayerLowering = {
  className: 'SeparableConv2D',
  check: (_node, config) => activationProblem(config) ?? stridedDilationProblem(config),
  lower: (ctx, node, [x], config) => {
    const layer = node.layer;
    const outShape = ctx.outShape(node);
    const [kh, kw] = pair(config['kernelSize'], 1);
    const m = depthMultiplierOf(node.layer, config);
    const filters = Number(config['filters']);
    const channels = x.shape[3] * m;
    const dwKernel = ctx.kernel(node, 'depthwise_kernel', [1, kh, kw, channels]);
    const dwBias = new GraphTensor(`${layer.name}/depthwise_bias`, [channels], 'float32', new Float32Array(channels));
    const mid = new GraphTensor(ctx.nameOf(node, 'depthwise'), [...outShape.slice(0, 3), channels], 'float32');
    const key = separableDepthwiseRangeKey(layer.name);
    mid.rule = {
      ...ctx.rangeRule(node, key, `depthwise half of '${layer.name}' (SeparableConv2D)`),
      fallback: {
        from: [x],
        derive: ([r]) => depthwiseBound(dwKernel.data as Float32Array, channels, r),
        note: `range '${key}' not in the state: bounded from the input range and the depthwise kernel (record it, e.g. with observeActivationRanges, for a finer grid)`,
      },
    };
    ctx.op(node, 'DEPTHWISE_CONV_2D', [x, dwKernel, dwBias], [mid], { ...ctx.convOptions(config), depthMultiplier: m, activation: 'NONE' });
    const pwKernel = ctx.kernel(node, 'pointwise_kernel', [filters, 1, 1, channels]);
    const bias = ctx.bias(node, filters);
    return [
      ctx.activated(node, activationOf(config), outShape, (out, fused) =>
        ctx.op(node, 'CONV_2D', [mid, pwKernel, bias], [out], {
          padding: 'VALID',
          strideW: 1,
          strideH: 1,
          dilationW: 1,
          dilationH: 1,
          activation: fused,
        }),
      ),
    ];
  },
};

/**
 * Interval bound of a depthwise convolution's output over input values in `r` (zero padding
 * included, since r contains 0): per channel, the sum over taps of the extreme products.
 */
export function depthwiseBound(kernel: Float32Array, channels: number, r: ActivationRange): ActivationRange {
  const lo = new Float64Array(channels);
  const hi = new Float64Array(channels);
  for (let j = 0; j < kernel.length; j++) {
    const c = j % channels;
    const a = kernel[j] * r.min;
    const b = kernel[j] * r.max;
    lo[c] += Math.min(a, b, 0);
    hi[c] += Math.max(a, b, 0);
  }
  return { min: Math.min(0, ...lo), max: Math.max(0, ...hi) };
}
