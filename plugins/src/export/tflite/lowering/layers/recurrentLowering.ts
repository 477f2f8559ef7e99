import { FIXED_RANGE_ACTIVATIONS } from '../../../../common/fixedRangeActivations';
import { recurrentRangeKeys, type RecurrentRangeKeys } from '../../../../common/recurrentRangeKeys';
import { GraphTensor, type QuantRule } from '../../TfliteGraph';
import type { LayerLowering } from '../LayerLowering';
import type { LayerConfig } from '../layerConfig';
import type { LoweringContext } from '../LoweringContext';
import type { ModelGraphNode } from '@collabopt/core';

/** Activations a recurrent layer's `activation` / `recurrentActivation` can have in the file. */
const RECURRENT_ACTIVATIONS = ['linear', 'relu', 'relu6', 'sigmoid', 'tanh', 'hardSigmoid'] as const;

/** The constants every step of one layer call reads (made once per call). */
export interface RecurrentConstants {
  /** The recurrent kernel in FULLY_CONNECTED layout `[gates · units, units]`. */
  readonly recurrentKernel: GraphTensor;
  /** Zeros of size `gates · units`: the recurrent product has no bias of its own. */
  readonly zeroBias: GraphTensor;
  /** SPLIT's axis (1, the gates' axis of `[batch, gates · units]`). */
  readonly splitAxis: GraphTensor;
  /** hardSigmoid's 1.2, 3 and 1/6. */
  readonly hardSigmoid: readonly [GraphTensor, GraphTensor, GraphTensor];
  /** The layer's range keys (the int8 grids of a SimpleRNN). */
  readonly keys: RecurrentRangeKeys;
}

/**
 * Emits the operators of one time step of one recurrent layer call, naming every tensor after the
 * step (`gru/t3/z`), so that a cell states only its equations.
 */
export class RecurrentStep {
  constructor(
    private readonly ctx: LoweringContext,
    private readonly node: ModelGraphNode,
    private readonly constants: RecurrentConstants,
    /** The step's index in processing order. */
    readonly t: number,
  ) {}

  private tensor(what: string, shape: readonly number[]): GraphTensor {
    return new GraphTensor(this.ctx.nameOf(this.node, `t${this.t}/${what}`), shape, 'float32');
  }

  private binary(code: 'ADD' | 'MUL' | 'SUB', a: GraphTensor, b: GraphTensor, what: string): GraphTensor {
    const out = this.tensor(what, a.shape);
    this.ctx.op(this.node, code, [a, b], [out], { activation: 'NONE' });
    return out;
  }

  /** `a + b`. */
  add(a: GraphTensor, b: GraphTensor, what: string): GraphTensor {
    return this.binary('ADD', a, b, what);
  }

  /** `a · b` (element-wise). */
  mul(a: GraphTensor, b: GraphTensor, what: string): GraphTensor {
    return this.binary('MUL', a, b, what);
  }

  /** `a − b`. */
  sub(a: GraphTensor, b: GraphTensor, what: string): GraphTensor {
    return this.binary('SUB', a, b, what);
  }

  /** The int8 rule "the layer's range under `key`" (one grid for every step). */
  rangeRule(key: keyof RecurrentRangeKeys): QuantRule {
    return this.ctx.rangeRule(this.node, this.constants.keys[key], `${key} of '${this.node.layer.name}' (${this.node.layer.getClassName()}), every step`);
  }

  /** `h · recurrent_kernel`, all gates at once: `[batch, gates · units]`, on the layer's `recurrent` range. */
  recurrent(h: GraphTensor, what: string): GraphTensor {
    const { recurrentKernel, zeroBias } = this.constants;
    const out = this.tensor(what, [h.shape[0], recurrentKernel.shape[0]]);
    out.rule = this.rangeRule('recurrent');
    this.ctx.op(this.node, 'FULLY_CONNECTED', [h, recurrentKernel, zeroBias], [out], { activation: 'NONE', keepNumDims: false });
    return out;
  }

  /** The gates of `[batch, gates · units]`, in the order the kernel's columns hold them. */
  split(x: GraphTensor, parts: number, what: string): GraphTensor[] {
    const width = x.shape[1] / parts;
    const outs = Array.from({ length: parts }, (_, i) => this.tensor(`${what}${i}`, [x.shape[0], width]));
    this.ctx.op(this.node, 'SPLIT', [this.constants.splitAxis, x], outs, { count: parts });
    return outs;
  }

  /**
   * `activation(x)`: nothing for linear; RELU, RELU6, LOGISTIC and TANH (the last two on their
   * fixed int8 grids); hardSigmoid (tfjs's `clip(0.2 x + 0.5, 0, 1)`) as MUL by 1.2, ADD 3 with a
   * fused RELU6, MUL by 1/6.
   */
  activation(name: string, x: GraphTensor, what: string): GraphTensor {
    const { ctx, node } = this;
    const unary = (code: 'RELU' | 'RELU6' | 'LOGISTIC' | 'TANH') => {
      const out = this.tensor(what, x.shape);
      const grid = code === 'LOGISTIC' ? FIXED_RANGE_ACTIVATIONS.sigmoid : code === 'TANH' ? FIXED_RANGE_ACTIVATIONS.tanh : null;
      if (grid) out.rule = { kind: 'fixed', scale: grid.scale, zeroPoint: grid.zeroPoint };
      ctx.op(node, code, [x], [out]);
      return out;
    };
    switch (name) {
      case 'linear':
        return x;
      case 'relu':
        return unary('RELU');
      case 'relu6':
        return unary('RELU6');
      case 'sigmoid':
        return unary('LOGISTIC');
      case 'tanh':
        return unary('TANH');
      case 'hardSigmoid': {
        const [slope, offset, scale] = this.constants.hardSigmoid;
        const clipped = this.tensor(`${what}_clipped`, x.shape);
        ctx.op(node, 'ADD', [this.mul(x, slope, `${what}_scaled`), offset], [clipped], { activation: 'RELU6' });
        return this.mul(clipped, scale, what);
      }
      default:
        throw new Error(`lowerModel: internal error: recurrent activation '${name}' passed the check`);
    }
  }
}

/** What one recurrent class computes, for {@link recurrentLowering}. */
export interface RecurrentCell {
  /** The tfjs class name. */
  readonly className: string;
  /** Gates stacked in the kernels' columns: SimpleRNN 1, GRU 3 (z, r, h), LSTM 4 (i, f, c, o). */
  readonly gates: number;
  /**
   * One step: the new states (`[h]`, or `[h, c]` for LSTM; `h` first, the step's output) from
   * the step's input projection `x·kernel + bias` (`[batch, gates · units]`) and the previous
   * states, null at the first step (the states start at zero, so the recurrent terms vanish).
   */
  readonly step: (s: RecurrentStep, xw: GraphTensor, previous: readonly GraphTensor[] | null, activations: RecurrentActivations) => GraphTensor[];
  /**
   * Why the int8 file cannot hold this configuration, or null when it can (the quantize plugin
   * then emulates it); omitted: int8 is refused for the class.
   */
  readonly int8Problem?: (activations: RecurrentActivations) => string | null;
}

/** A recurrent layer's two activations, as tfjs serialises them. */
export interface RecurrentActivations {
  /** `activation` (the candidate / output nonlinearity). */
  readonly activation: string;
  /** `recurrentActivation` (the gates'); SimpleRNN has none. */
  readonly recurrent: string;
}

function activationsOf(config: LayerConfig): RecurrentActivations {
  return {
    activation: typeof config['activation'] === 'string' ? config['activation'] : 'linear',
    recurrent: typeof config['recurrentActivation'] === 'string' ? config['recurrentActivation'] : 'linear',
  };
}

/**
 * The lowering of a recurrent layer unrolled over its (fixed) sequence into builtin operators:
 * one FULLY_CONNECTED projects every step's input at once (`kernel`, `bias`), UNPACK splits the
 * steps, each step runs the cell's equations (FULLY_CONNECTED with the `recurrent_kernel`, SPLIT
 * into gates, ADD/MUL/SUB, the activations), in reverse order with `goBackwards`, and PACK stacks
 * the outputs when `returnSequences` (in processing order, as tfjs returns them). `returnState`
 * adds the final states as outputs. Kernels are one tensor each, so their invariants are verified
 * on the file as for Dense.
 *
 * Refused: initial states given as inputs, `stateful` layers (the file starts every batch from
 * zeros), activations other than {@link RECURRENT_ACTIVATIONS}; in int8, whatever the cell's
 * `int8Problem` names (all of GRU and LSTM: the quantize plugin does not emulate their per-step
 * roundings). In int8 the input projection, the recurrent products and the states carry their
 * grids' rules (`recurrentRangeKeys`, the activations' fixed grids); UNPACK and PACK keep them.
 */
export function recurrentLowering(cell: RecurrentCell): LayerLowering {
  return {
    className: cell.className,
    check: (node, config) => {
      const rank = node.symbolicInputs[0]?.rank ?? 0;
      if (node.symbolicInputs.length !== 1) return `called with initial states; the file starts from zero states only`;
      if (rank !== 3) return `input of rank ${rank}; expected [batch, steps, features]`;
      if (config['stateful'] === true) return `stateful: true; a TFLite file keeps no state between invocations`;
      const acts = activationsOf(config);
      const used = cell.gates === 1 ? [acts.activation] : [acts.activation, acts.recurrent];
      const bad = used.find((a) => !(RECURRENT_ACTIVATIONS as readonly string[]).includes(a));
      return bad ? `activation '${bad}'; supported in recurrent layers: ${RECURRENT_ACTIVATIONS.join(', ')}` : null;
    },
    int8Problem: (_node, config) =>
      cell.int8Problem
        ? cell.int8Problem(activationsOf(config))
        : `an int8 file would round the state onto an int8 grid at every step and the gates onto TFLite's fixed LOGISTIC/TANH grids, ` +
          `and the quantize plugin emulates no rounding inside ${cell.className} (exclude such layers from it)`,
    lower: (ctx, node, [x], config) => {
      const name = ctx.nameOf(node);
      const [batch, steps, features] = x.shape;
      const units = Number(config['units']);
      const width = cell.gates * units;
      const kernel = ctx.kernel(node, 'kernel', [width, features]);
      const constants: RecurrentConstants = {
        recurrentKernel: ctx.kernel(node, 'recurrent_kernel', [width, units]),
        zeroBias: ctx.floatConstant(`${name}/recurrent_bias`, [width], new Float32Array(width)),
        splitAxis: ctx.int32Constant(`${name}/split_axis`, [], [1]),
        hardSigmoid: [
          ctx.floatConstant(`${name}/hard_sigmoid_slope`, [1], [1.2]),
          ctx.floatConstant(`${name}/hard_sigmoid_offset`, [1], [3]),
          ctx.floatConstant(`${name}/hard_sigmoid_scale`, [1], [1 / 6]),
        ],
        keys: recurrentRangeKeys(node.layer.name),
      };
      const projected = new GraphTensor(ctx.nameOf(node, 'input_projection'), [batch, steps, width], 'float32');
      projected.rule = ctx.rangeRule(node, constants.keys.projection, `input projection of '${node.layer.name}' (${node.layer.getClassName()})`);
      ctx.op(node, 'FULLY_CONNECTED', [x, kernel, ctx.bias(node, width)], [projected], { activation: 'NONE', keepNumDims: true });
      const perStep = Array.from({ length: steps }, (_, i) => {
        const t = new GraphTensor(ctx.nameOf(node, `input_projection/${i}`), [batch, width], 'float32');
        t.rule = { kind: 'same', as: projected };
        return t;
      });
      ctx.op(node, 'UNPACK', [projected], perStep, { axis: 1, count: steps });
      // A copy: the UNPACK keeps its outputs in sequence order.
      const order = config['goBackwards'] === true ? [...perStep].reverse() : perStep;
      const acts = activationsOf(config);
      let states: GraphTensor[] | null = null;
      const outputs: GraphTensor[] = [];
      order.forEach((xw, t) => {
        states = cell.step(new RecurrentStep(ctx, node, constants, t), xw, states, acts);
        outputs.push(states[0]);
      });
      const final = states as unknown as GraphTensor[];
      let out: GraphTensor;
      if (config['returnSequences'] === true) {
        // TFLite's int8 PACK writes on its inputs' grid (the states': fixed by their activation).
        out = ctx.sameAs(node, outputs[0], ctx.outShape(node));
        ctx.op(node, 'PACK', outputs, [out], { axis: 1, count: steps });
      } else {
        out = final[0];
        out.name = name;
      }
      return config['returnState'] === true ? [out, ...final] : [out];
    },
  };
}
