import type { OpCode } from '../../TfliteGraph';
import { pair } from '../layerConfig';
import type { LayerLowering } from '../LayerLowering';
import { rank4InputProblem } from '../rank4InputProblem';

/**
 * The lowering of a 2-D pooling class to `code`. TFLite's int8 pooling kernels use the input's
 * scale and zero point for the output; with `ownRange`, the layer's own recorded range (QAT
 * quantizes an average) is applied by a requantize after the operator.
 */
export function pooling2DLowering(className: string, code: OpCode, ownRange: boolean): LayerLowering {
  return {
    className,
    check: (node) => rank4InputProblem(node),
    lower: (ctx, node, [x], config) => {
      const [ph, pw] = pair(config['poolSize'], 2);
      const [sh, sw] = pair(config['strides'] ?? config['poolSize'], 2);
      const out = ctx.sameAs(node, x, ctx.outShape(node));
      if (ownRange) out.rule = { kind: 'same', as: x, ownKey: node.layer.name };
      ctx.op(node, code, [x], [out], {
        padding: config['padding'] === 'same' ? 'SAME' : 'VALID',
        strideW: sw,
        strideH: sh,
        filterW: pw,
        filterH: ph,
        activation: 'NONE',
      });
      return [out];
    },
  };
}
