import type { ActivationRange } from '@collabopt/core';
import { mergePartialRangeKey } from '../../../../common/mergePartialRangeKey';
import { GraphTensor } from '../../TfliteGraph';
import type { LayerLowering } from '../LayerLowering';

/**
 * The lowering of an element-wise merge of 2+ inputs to a chain of binary `code` operators. The
 * partial results are no layer's output: their ranges are the ones the quantize plugin records
 * (`mergePartialRangeKey`; it rounds there too), else bounded by interval arithmetic on the
 * inputs' ranges (noted in the report).
 */
export function elementwiseLowering(className: string, code: 'ADD' | 'MUL'): LayerLowering {
  const derive = code === 'ADD' ? sumRange : productRange;
  return {
    className,
    lower: (ctx, node, ins) => {
      const outShape = ctx.outShape(node);
      let acc = ins[0];
      for (let i = 1; i < ins.length; i++) {
        let out: GraphTensor;
        if (i === ins.length - 1) out = ctx.output(node, outShape);
        else {
          out = new GraphTensor(ctx.nameOf(node, `partial${i}`), broadcastShape(acc.shape, ins[i].shape), 'float32');
          const key = mergePartialRangeKey(node.layer.name, i);
          const what = `partial ${code === 'ADD' ? 'sum' : 'product'} ${i} of '${node.layer.name}'`;
          out.rule = {
            ...ctx.rangeRule(node, key, `${what} (${className}, ${ins.length} inputs)`),
            fallback: {
              from: [acc, ins[i]],
              derive,
              note: `'${out.name}' (${what}, ${ins.length} inputs): range '${key}' not in the state, bounded from its inputs' ranges`,
            },
          };
        }
        ctx.op(node, code, [acc, ins[i]], [out], { activation: 'NONE' });
        acc = out;
      }
      return [acc];
    },
  };
}

/** The range of a sum of two tensors with ranges `rs[0]`, `rs[1]` (interval arithmetic). */
export function sumRange(rs: readonly ActivationRange[]): ActivationRange {
  return { min: rs[0].min + rs[1].min, max: rs[0].max + rs[1].max };
}

function productRange(rs: readonly ActivationRange[]): ActivationRange {
  const c = [rs[0].min * rs[1].min, rs[0].min * rs[1].max, rs[0].max * rs[1].min, rs[0].max * rs[1].max];
  return { min: Math.min(...c), max: Math.max(...c) };
}

/** The shape of a binary element-wise operator's result (NumPy broadcasting). */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    out.push(da === 1 ? db : da);
  }
  return out;
}
