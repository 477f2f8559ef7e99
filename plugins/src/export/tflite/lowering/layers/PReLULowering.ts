import { GraphTensor } from '../../TfliteGraph';
import type { LayerLowering } from '../LayerLowering';

/**
 * PReLU → PRELU, the learned slopes (weight `alpha`, the input's shape without the batch, 1 on
 * `sharedAxes`) a constant TFLite broadcasts against the input. int8: the slopes are symmetric
 * int8 per tensor (the state's `int8-grid` scale when the quantize plugin trained them), the
 * output on the layer's own range.
 */
export const PReLULowering: LayerLowering = {
  className: 'PReLU',
  lower: (ctx, node, [x]) => {
    const id = `${node.layer.name}/alpha`;
    const shape = [...node.layer.getWeights()[0].shape];
    const alpha = new GraphTensor(id, shape, 'float32', ctx.values(node, 'alpha'));
    const out = ctx.output(node, ctx.outShape(node));
    ctx.op(node, 'PRELU', [x, alpha], [out]);
    return [out];
  },
};
