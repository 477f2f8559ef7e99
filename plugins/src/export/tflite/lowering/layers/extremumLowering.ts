import { GraphTensor } from '../../TfliteGraph';
import type { LayerLowering } from '../LayerLowering';
import { broadcastShape } from './elementwiseLowering';

/**
 * The lowering of an element-wise Maximum/Minimum of 2+ inputs to a chain of binary `code`
 * operators. TFLite's int8 MAXIMUM/MINIMUM compare raw levels, so every input must be on the
 * output's grid: `toInt8Graph` requantizes those that are not. Rounding is monotonic, so
 * requantizing the inputs then taking the extremum equals taking it in float then rounding —
 * what the fake-quant model computes (its output quantized once); the partial results share the
 * layer's grid for the same reason.
 */
export function extremumLowering(className: string, code: 'MAXIMUM' | 'MINIMUM'): LayerLowering {
  return {
    className,
    lower: (ctx, node, ins) => {
      const out = ctx.output(node, ctx.outShape(node));
      let acc = ins[0];
      for (let i = 1; i < ins.length; i++) {
        let next = out;
        if (i < ins.length - 1) {
          next = new GraphTensor(ctx.nameOf(node, `partial${i}`), broadcastShape(acc.shape, ins[i].shape), 'float32');
          next.rule = { kind: 'same', as: out };
        }
        ctx.op(node, code, [acc, ins[i]], [next]);
        acc = next;
      }
      return [acc];
    },
  };
}
