import { GraphTensor, type PaddingMode } from '../../TfliteGraph';
import { activationProblem } from '../activationProblem';
import { activationOf, single } from '../layerConfig';
import type { LayerLowering } from '../LayerLowering';
import { stridedDilationProblem } from '../stridedDilationProblem';

/**
 * Conv1D → RESHAPE → CONV_2D → RESHAPE. TFLite has no 1-D convolution; the TF converter writes
 * [b, 1, steps, ch] convolutions between two reshapes, and so do we.
 */
export const Conv1DLowering: LayerLowering = {
  className: 'Conv1D',
  check: (_node, config) =>
    activationProblem(config) ?? (config['padding'] === 'causal' ? `padding 'causal' (tfjs cannot run it either)` : null) ?? stridedDilationProblem(config),
  lower: (ctx, node, [x], config) => {
    const layer = node.layer;
    const outShape = ctx.outShape(node);
    const k = single(config['kernelSize'], 1);
    const stride = single(config['strides'], 1);
    const dilation = single(config['dilationRate'], 1);
    const filters = Number(config['filters']);
    const [b, steps, ch] = x.shape;
    const expanded = new GraphTensor(ctx.nameOf(node, 'expanded'), [b, 1, steps, ch], 'float32');
    expanded.rule = { kind: 'same', as: x };
    ctx.op(node, 'RESHAPE', [x, ctx.int32Constant(`${layer.name}/expanded_shape`, [4], expanded.shape)], [expanded], { newShape: expanded.shape });
    const kernel = ctx.kernel(node, 'kernel', [filters, 1, k, ch]);
    const bias = ctx.bias(node, filters);
    const conv4dShape = [outShape[0], 1, outShape[1], outShape[2]];
    const padding: PaddingMode = config['padding'] === 'same' ? 'SAME' : 'VALID';
    return [
      ctx.activated(node, activationOf(config), outShape, (out, fused) => {
        const conv = new GraphTensor(`${out.name}/conv`, conv4dShape, 'float32');
        // The 4-D result carries the range; the squeezed tensor shares it (RESHAPE rule).
        conv.rule = out.rule;
        out.rule = { kind: 'same', as: conv };
        ctx.op(node, 'CONV_2D', [expanded, kernel, bias], [conv], {
          padding,
          strideW: stride,
          strideH: 1,
          dilationW: dilation,
          dilationH: 1,
          activation: fused,
        });
        ctx.op(node, 'RESHAPE', [conv, ctx.int32Constant(`${out.name}/shape`, [out.shape.length], out.shape)], [out], { newShape: out.shape });
      }),
    ];
  },
};
