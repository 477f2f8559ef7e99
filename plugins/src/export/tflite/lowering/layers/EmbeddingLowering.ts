import { GraphTensor } from '../../TfliteGraph';
import type { LayerLowering } from '../LayerLowering';

/**
 * Embedding → CAST (float indices to int32, truncating as tfjs's cast does) → GATHER of the table's
 * rows. The table is stored in the Keras order `[inputDim, outputDim]` (its output channel last),
 * so the read-back checks see it as the model holds it. Dynamic-range files keep it float32:
 * TFLite has no hybrid GATHER.
 */
export const EmbeddingLowering: LayerLowering = {
  className: 'Embedding',
  check: (_node, config) =>
    config['maskZero'] === true
      ? `maskZero: true; TFLite files carry no masks, so the layers reading this one (an RNN skipping padded steps) would compute something else`
      : null,
  int8Problem: () =>
    `an int8 GATHER writes the table's own int8 grid, which the quantize plugin neither puts on Embedding tables nor emulates, and int8 files quantize their float inputs (the indices)`,
  lower: (ctx, node, [x], config) => {
    const table = ctx.kernel(node, 'embeddings', [Number(config['inputDim']), Number(config['outputDim'])], true);
    const indices = new GraphTensor(ctx.nameOf(node, 'indices'), x.shape, 'int32');
    ctx.op(node, 'CAST', [x], [indices]);
    const out = ctx.output(node, ctx.outShape(node));
    ctx.op(node, 'GATHER', [table, indices], [out], { axis: 0 });
    return [out];
  },
};
