import { GraphTensor } from '../../TfliteGraph';
import type { LayerLowering } from '../LayerLowering';
import type { LayerConfig } from '../layerConfig';

/** The normalized axes, non-negative, in the order the layer lists them (its gamma/beta follow it). */
function axesOf(config: LayerConfig, rank: number): number[] {
  const a = config['axis'] ?? -1;
  return (Array.isArray(a) ? a : [a]).map((v) => Number(v)).map((v) => (v < 0 ? v + rank : v));
}

/**
 * LayerNormalization → MEAN, SUB, MUL (the squares), MEAN, ADD ε, RSQRT, MUL, then MUL γ and ADD β:
 * `(x − mean) · rsqrt(var + ε) · γ + β` over the layer's axes, as tfjs computes it (`tf.moments`
 * then `batchNorm`). γ and β are constants shaped to broadcast (1 on the other axes).
 */
export const LayerNormalizationLowering: LayerLowering = {
  className: 'LayerNormalization',
  check: (node, config) => {
    const rank = node.symbolicInputs[0]?.rank ?? 0;
    const axes = axesOf(config, rank);
    const sorted = [...axes].sort((p, q) => p - q);
    // tfjs reshapes γ/β (not transposes) onto the axes; in ascending order that is the broadcast shape's element order.
    return axes.every((v, i) => v === sorted[i]) ? null : `axis [${axes.join(', ')}] not in ascending order`;
  },
  int8Problem: () =>
    `its mean, variance and reciprocal square root would each round onto an int8 grid, which the quantize plugin does not emulate (it keeps LayerNormalization in float)`,
  lower: (ctx, node, [x], config) => {
    const name = ctx.nameOf(node);
    const rank = x.shape.length;
    const axes = axesOf(config, rank);
    const reduced = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const paramShape = x.shape.map((d, i) => (axes.includes(i) ? d : 1));
    const axesT = ctx.int32Constant(`${name}/axes`, [axes.length], axes);
    const tensor = (suffix: string, shape: number[]) => new GraphTensor(ctx.nameOf(node, suffix), shape, 'float32');
    const mean = tensor('mean', reduced);
    ctx.op(node, 'MEAN', [x, axesT], [mean], { keepDims: true });
    const centered = tensor('centered', x.shape);
    ctx.op(node, 'SUB', [x, mean], [centered], { activation: 'NONE' });
    const squares = tensor('squares', x.shape);
    ctx.op(node, 'MUL', [centered, centered], [squares], { activation: 'NONE' });
    const variance = tensor('variance', reduced);
    ctx.op(node, 'MEAN', [squares, axesT], [variance], { keepDims: true });
    const shifted = tensor('variance_epsilon', reduced);
    ctx.op(node, 'ADD', [variance, ctx.floatConstant(`${name}/epsilon`, [1], [Number(config['epsilon'] ?? 1e-3)])], [shifted], { activation: 'NONE' });
    const inverse = tensor('rsqrt', reduced);
    ctx.op(node, 'RSQRT', [shifted], [inverse]);
    const hasGamma = ctx.hasWeight(node, 'gamma');
    const hasBeta = ctx.hasWeight(node, 'beta');
    const out = ctx.output(node, ctx.outShape(node));
    let y = hasGamma || hasBeta ? tensor('normalized', x.shape) : out;
    ctx.op(node, 'MUL', [centered, inverse], [y], { activation: 'NONE' });
    if (hasGamma) {
      const scaled = hasBeta ? tensor('scaled', x.shape) : out;
      ctx.op(node, 'MUL', [y, ctx.floatConstant(`${name}/gamma`, paramShape, ctx.values(node, 'gamma'))], [scaled], { activation: 'NONE' });
      y = scaled;
    }
    if (hasBeta) ctx.op(node, 'ADD', [y, ctx.floatConstant(`${name}/beta`, paramShape, ctx.values(node, 'beta'))], [out], { activation: 'NONE' });
    return [out];
  },
};
