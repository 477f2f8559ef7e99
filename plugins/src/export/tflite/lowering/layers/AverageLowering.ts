import { mergePartialRangeKey } from '../../../../common/mergePartialRangeKey';
import { GraphTensor } from '../../TfliteGraph';
import type { LayerLowering } from '../LayerLowering';
import { broadcastShape, sumRange } from './elementwiseLowering';

/**
 * Average (n ≥ 2 inputs) → a chain of ADD, then MUL by 1/n. The full sum is written on the
 * layer's grid scaled by n (range n × the layer's range, same zero point), so the MUL by 1/n
 * (exact in int8: level 127, scale 1/(127 n)) keeps its levels and the file rounds the average
 * once, onto the layer's grid, as the fake-quant model does. With more than two inputs the
 * partial sums are no layer's output: their ranges are the ones the quantize plugin records
 * (`mergePartialRangeKey`; it rounds there too), else bounded from the inputs' ranges
 * (noted in the report).
 */
export const AverageLowering: LayerLowering = {
  className: 'Average',
  lower: (ctx, node, ins) => {
    const n = ins.length;
    const outShape = ctx.outShape(node);
    const out = ctx.output(node, outShape);
    const sum = new GraphTensor(ctx.nameOf(node, 'sum'), outShape, 'float32');
    sum.rule = { kind: 'derived', from: [out], derive: ([r]) => ({ min: r.min * n, max: r.max * n }) };
    let acc = ins[0];
    for (let i = 1; i < n; i++) {
      let next = sum;
      if (i < n - 1) {
        next = new GraphTensor(ctx.nameOf(node, `partial${i}`), broadcastShape(acc.shape, ins[i].shape), 'float32');
        const key = mergePartialRangeKey(node.layer.name, i);
        next.rule = {
          ...ctx.rangeRule(node, key, `partial sum ${i} of '${node.layer.name}' (Average, ${n} inputs)`),
          fallback: {
            from: [acc, ins[i]],
            derive: sumRange,
            note: `'${next.name}' (partial sum ${i} of '${node.layer.name}', ${n} inputs): range '${key}' not in the state, bounded from its inputs' ranges`,
          },
        };
      }
      ctx.op(node, 'ADD', [acc, ins[i]], [next], { activation: 'NONE' });
      acc = next;
    }
    const inverse = new GraphTensor(ctx.nameOf(node, 'inverse_count'), [1], 'float32', Float32Array.of(1 / n));
    ctx.op(node, 'MUL', [sum, inverse], [out], { activation: 'NONE' });
    return [out];
  },
};
