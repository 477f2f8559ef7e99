import type { ModelGraphNode } from '@collabopt/core';
import { FIXED_RANGE_ACTIVATIONS } from '../../../common/fixedRangeActivations';
import type { SeparateActivationName } from '../../../common/separateActivations';
import { GraphTensor } from '../TfliteGraph';
import type { LoweringContext } from './LoweringContext';

/**
 * Emits the operator(s) of a separate activation (`SEPARATE_ACTIVATIONS`) reading `x` and writing
 * `out` (whose int8 rule the caller set: the layer's own range): ELU; GELU (erf form for `gelu`,
 * tanh approximation for `gelu_new`, as tfjs computes them); swish as LOGISTIC, on its fixed
 * 1/256 grid, then MUL with `x` — the rounding the quantize plugin emulates inside swish.
 */
export function emitSeparateActivation(ctx: LoweringContext, node: ModelGraphNode, act: SeparateActivationName, x: GraphTensor, out: GraphTensor): void {
  switch (act) {
    case 'elu':
      ctx.op(node, 'ELU', [x], [out]);
      return;
    case 'gelu':
    case 'gelu_new':
      ctx.op(node, 'GELU', [x], [out], { approximate: act === 'gelu_new' });
      return;
    case 'swish': {
      const grid = FIXED_RANGE_ACTIVATIONS.sigmoid;
      const sigmoid = new GraphTensor(ctx.nameOf(node, 'sigmoid'), x.shape, 'float32');
      sigmoid.rule = { kind: 'fixed', scale: grid.scale, zeroPoint: grid.zeroPoint };
      ctx.op(node, 'LOGISTIC', [x], [sigmoid]);
      ctx.op(node, 'MUL', [x, sigmoid], [out], { activation: 'NONE' });
      return;
    }
  }
}

/**
 * Emits tfjs's `hardSigmoid` (`clip(0.2·x + 0.5, 0, 1)`; TFLite has no operator for it) reading
 * `x` and writing `out`: a 1×1 DEPTHWISE_CONV_2D with tap 0.2 and bias 0.5 per channel and a fused
 * RELU (between RESHAPEs to and from 4-D for data of another rank), then MINIMUM with 1. In int8
 * the convolution writes onto the fixed [0, 1) grid of `FIXED_RANGE_ACTIVATIONS.hardSigmoid`, whose
 * saturation is the clip, and the MINIMUM (its constant on the same grid, level 127) changes
 * nothing: one rounding, the one the quantize plugin emulates.
 */
export function emitHardSigmoid(ctx: LoweringContext, node: ModelGraphNode, x: GraphTensor, out: GraphTensor): void {
  const rank = x.shape.length;
  const channels = x.shape[rank - 1];
  const grid = FIXED_RANGE_ACTIVATIONS.hardSigmoid;
  const fixed = { kind: 'fixed', scale: grid.scale, zeroPoint: grid.zeroPoint } as const;
  const view = rank === 4 ? x.shape : [x.shape[0], 1, x.shape.slice(1, -1).reduce((a, b) => a * b, 1), channels];
  let x4 = x;
  if (rank !== 4) {
    x4 = new GraphTensor(ctx.nameOf(node, 'hard_sigmoid_in'), view, 'float32');
    x4.rule = { kind: 'same', as: x };
    ctx.op(node, 'RESHAPE', [x, ctx.int32Constant(ctx.nameOf(node, 'hard_sigmoid_in_shape'), [4], view)], [x4], { newShape: view });
  }
  const taps = new GraphTensor(ctx.nameOf(node, 'hard_sigmoid_slope'), [1, 1, 1, channels], 'float32', new Float32Array(channels).fill(0.2));
  const offset = new GraphTensor(ctx.nameOf(node, 'hard_sigmoid_offset'), [channels], 'float32', new Float32Array(channels).fill(0.5));
  let affine = new GraphTensor(ctx.nameOf(node, 'hard_sigmoid_affine'), view, 'float32');
  affine.rule = fixed;
  ctx.op(node, 'DEPTHWISE_CONV_2D', [x4, taps, offset], [affine], {
    padding: 'VALID',
    strideW: 1,
    strideH: 1,
    dilationW: 1,
    dilationH: 1,
    depthMultiplier: 1,
    activation: 'RELU',
  });
  if (rank !== 4) {
    const back = new GraphTensor(ctx.nameOf(node, 'hard_sigmoid_relu'), x.shape, 'float32');
    back.rule = { kind: 'same', as: affine };
    ctx.op(node, 'RESHAPE', [affine, ctx.int32Constant(ctx.nameOf(node, 'hard_sigmoid_out_shape'), [rank], x.shape)], [back], { newShape: [...x.shape] });
    affine = back;
  }
  ctx.op(node, 'MINIMUM', [affine, new GraphTensor(ctx.nameOf(node, 'hard_sigmoid_one'), [1], 'float32', Float32Array.of(1))], [out]);
}
