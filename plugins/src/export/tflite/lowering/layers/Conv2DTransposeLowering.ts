import { GraphTensor } from '../../TfliteGraph';
import { activationProblem } from '../activationProblem';
import { activationOf, pair } from '../layerConfig';
import type { LayerLowering } from '../LayerLowering';

/**
 * Conv2DTranspose → TRANSPOSE_CONV (inputs: the output shape, the kernel `[out, h, w, in]`, the
 * data, the bias: version 3), then its activation. TFLite 2.9's TRANSPOSE_CONV has no fused
 * activation, so ReLU/ReLU6 are a RELU/RELU6 operator reading a tensor on the activation's output
 * grid (exact: ReLU only zeroes what that grid cannot hold; the quantize plugin quantizes once,
 * after the activation, as for a fused one); sigmoid/tanh/softmax follow the range before them as
 * for every layer. The kernel is quantized per tensor (see `LoweringContext.transposeConvKernel`).
 */
export const Conv2DTransposeLowering: LayerLowering = {
  className: 'Conv2DTranspose',
  check: (_node, config) => activationProblem(config),
  lower: (ctx, node, [x], config) => {
    const [sh, sw] = pair(config['strides'], 1);
    const filters = Number(config['filters']);
    const outShape = ctx.outShape(node);
    const kernel = ctx.transposeConvKernel(node);
    const bias = ctx.bias(node, filters);
    const shape = ctx.int32Constant(`${ctx.nameOf(node)}/output_shape`, [4], outShape);
    const options = { padding: config['padding'] === 'same' ? 'SAME' : 'VALID', strideW: sw, strideH: sh } as const;
    return [
      ctx.activated(node, activationOf(config), outShape, (out, fused) => {
        if (fused === 'NONE') {
          ctx.op(node, 'TRANSPOSE_CONV', [shape, kernel, x, bias], [out], options);
          return;
        }
        const pre = new GraphTensor(ctx.nameOf(node, 'conv'), outShape, 'float32');
        pre.rule = { kind: 'same', as: out };
        ctx.op(node, 'TRANSPOSE_CONV', [shape, kernel, x, bias], [pre], options);
        ctx.op(node, fused, [pre], [out]);
      }),
    ];
  },
};
