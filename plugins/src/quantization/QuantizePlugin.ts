/**
 * `quantize`: quantization emulation — QAT, or post-training calibration — as a collabopt plugin.
 * See README.md in this folder for options, invariants and TFMOT differences.
 *
 * How it runs in a session:
 * - Weights (DESIGN.md §3): a projection at Stage.EMULATE, the last in the chain after masks and
 *   clusters, puts each quantized kernel on a symmetric narrow-range grid (per output channel for
 *   convolutions, per real output channel for depthwise kernels, per tensor for Dense) and
 *   records `int8-grid` with the scales. The straight-through estimator is the session's latent
 *   update: the optimizer's step lands on the full-precision latent, so no custom gradient is
 *   needed for weights.
 * - Activations (DESIGN.md §4): forward hooks fake-quantize layer outputs (or the value before a
 *   fixed-range activation, or model inputs where consumed) with TF's nudged asymmetric
 *   fake-quant and a clipped straight-through gradient. Ranges come from observers: moving
 *   averages updated on training batches (QAT), or running min/max over `session.calibrate()`
 *   batches (post-training mode). Calibration passes observe float activations, as TF's
 *   calibrator does.
 * - `finish`: the observed ranges go into `session.state.activationRanges` for integer export.
 */
import * as tf from '@tensorflow/tfjs';
import {
  definePlugin,
  Int8GridInvariant,
  preActivationRangeKey,
  selectLayers,
  SessionError,
  Stage,
  TargetError,
  type ClustersData,
  type ForwardContext,
  type JsonValue,
  type PluginContext,
  type TargetWeight,
} from '@collabopt/core';
import { CHAINED_MERGES } from '../common/CHAINED_MERGES';
import { mergePartialRangeKey } from '../common/mergePartialRangeKey';
import { AllValuesRangeObserver } from './AllValuesRangeObserver';
import { callWithActivation } from './callWithActivation';
import { observedFakeQuant } from './fakeQuantAsymmetric';
import { averagePoolCounts, averagePoolOnInputGrid } from './averagePoolOnInputGrid';
import { fakeQuantFixedGrid } from './fakeQuantFixedGrid';
import { inputGridOf } from './inputGrid';
import { MovingAverageRangeObserver } from './MovingAverageRangeObserver';
import { nudgeRangeTensors } from './nudgeRange';
import { quantizationPlan, type LayerPlan } from './quantizationPlan';
import type { QuantizeOptions } from './QuantizeOptions';
import { quantizeOptionsSchema } from './quantizeOptionsSchema';
import type { RangeObserver } from './RangeObserver';
import { separableDepthwiseRangeKey } from '../common/separableDepthwiseRangeKey';
import { separableForward } from './separableForward';
import { ProjectedGridScales } from './ProjectedGridScales';
import { symmetricWeightGrid } from './symmetricWeightGrid';
import { swishOnGrid } from './swishOnGrid';
import { recurrentRangeKeys } from '../common/recurrentRangeKeys';
import { simpleRnnForward } from './simpleRnnForward';
import { weightChannelLayout, type WeightGranularity } from './weightChannelLayout';

const NAME = 'quantize';


/** One activation observer and how many batches it has seen. */
interface Observed {
  readonly observer: RangeObserver;
  seen: number;
}

/**
 * Quantization-aware training (or post-training calibration) with TFMOT's default 8-bit scheme.
 * Establishes `int8-grid`; preserves `sparsity` (0 maps to 0) and `clusters` (k values map to ≤ k
 * values — quantized per tensor when the weight is clustered per tensor, see README).
 *
 * ```ts
 * collab(model, [quantize()]);                                       // QAT
 * collab(model, [sparsityConstraint(), quantize()], { state });      // PQAT
 * const ptq = collab(model, [quantize({ mode: 'ptq' })], { train: false });
 * await ptq.calibrate(representativeXs, { steps: 100 });
 * ```
 * @group Quantization
 */
export const quantize = definePlugin<Required<Omit<QuantizeOptions, 'include' | 'exclude'>> & Pick<QuantizeOptions, 'include' | 'exclude'>, QuantizeOptions>({
  name: NAME,
  optionsSchema: quantizeOptionsSchema,
  // Symmetric rounding maps 0 to 0 and each value (per channel) to one level: every invariant
  // preserved by those traits (`sparsity`, `clusters`, and any added later) is kept.
  invariants: { establishes: ['int8-grid'], preserves: [], requires: [], traits: ['zero-preserving', 'value-function'] },
  metadata: (o) =>
    o.mode === 'ptq'
      ? {
          training: 'forbidden',
          calibration: true,
          emulatesInference: true,
          explain: { label: 'quantize in "ptq" mode', training: 'is post-training quantization and', calibration: 'takes its ranges from calibration' },
        }
      : {
          training: 'required',
          calibration: false,
          emulatesInference: true,
          explain: { label: 'quantize in "qat" mode', training: 'learns its ranges while training; give epochs (or steps), or use mode "ptq" with "calibrate"' },
        },
  create(options) {
    const observers = new Map<string, Observed>();
    /** Each quantized kernel's int8-grid scales (from its first projection), on the backend between steps. */
    const grids: Array<{ grid: ProjectedGridScales | null }> = [];
    let pendingRestore: Record<string, { min: number; max: number; seen: number }> | null = null;

    const observerFor = (key: string, kind: 'activation' | 'input'): Observed => {
      let o = observers.get(key);
      if (!o) {
        const observer =
          options.mode === 'ptq' || kind === 'input'
            ? new AllValuesRangeObserver()
            : new MovingAverageRangeObserver({ decay: options.activationDecay, startFromFirstBatch: options.rangeInit === 'firstBatch' });
        o = { observer, seen: 0 };
        const saved = pendingRestore?.[key];
        if (saved) {
          observer.restore(saved);
          o.seen = saved.seen;
        }
        observers.set(key, o);
      }
      return o;
    };

    /** Observe (training batches in QAT; calibration always), then fake-quantize (never while calibrating). */
    const fakeQuant = (x: tf.Tensor, key: string, kind: 'activation' | 'input', ctx: ForwardContext): tf.Tensor => {
      const o = observerFor(key, kind);
      if (ctx.calibrating) {
        o.observer.update(x);
        o.seen++;
        return x;
      }
      // The update runs inside the fake-quant's own op, before it reads the range: TFMOT
      // quantizes each training batch with the range that batch just updated.
      const observes = ctx.training && options.mode === 'qat';
      const out = observedFakeQuant(x, observes ? (v) => o.observer.update(v) : null, o.observer.min, o.observer.max, { numBits: options.activationBits });
      if (observes) o.seen++;
      return out;
    };

    return {
      apply(session: PluginContext) {
        const model = session.model;
        const selected = selectLayers(NAME, session.modelLayers(), { include: options.include, exclude: options.exclude });
        const plan = quantizationPlan(model, selected);
        if (plan.unsupported.length > 0) {
          throw new TargetError(
            `${NAME}: cannot quantize layers with weights of these classes: ${plan.unsupported.map((u) => `${u.name} (${u.className})`).join(', ')}. ` +
              `Leave them float with exclude: [${plan.unsupported.map((u) => JSON.stringify(u.name)).join(', ')}]`,
          );
        }
        // TFLite's int8 RESIZE_BILINEAR rounds every interpolated value onto its input's grid;
        // training does not emulate that rounding, so the contract could not hold.
        const bilinear = plan.layers.filter((lp) => lp.layer.getClassName() === 'UpSampling2D' && (lp.layer.getConfig() as { interpolation?: string }).interpolation === 'bilinear');
        if (bilinear.length > 0) {
          throw new TargetError(
            `${NAME}: cannot emulate int8 for ${bilinear.map((lp) => `'${lp.layer.name}' (UpSampling2D, interpolation 'bilinear')`).join(', ')}: ` +
              `TFLite's int8 bilinear resize rounds each interpolated value onto the input's grid, which training does not emulate. ` +
              `Use interpolation 'nearest', or leave the layer float with exclude: [${bilinear.map((lp) => JSON.stringify(lp.layer.name)).join(', ')}] and export float32, float16 or dynamic-range`,
          );
        }
        const plans = new Map(plan.layers.map((lp) => [lp.layer, lp]));
        for (const lp of plan.layers) {
          const name = lp.layer.name;
          for (const [rel, granularity] of lp.weights) grids.push(projectWeight(session, session.weight(`${name}/${rel}`), granularity, options.weightBits));
          if (lp.layer.getClassName() === 'AveragePooling2D' && lp.placement === 'output') {
            // TFLite's int8 AVERAGE_POOL_2D rounds onto its input's grid, then the file requantizes
            // onto the layer's (the exporter writes VALID pooling as one convolution instead).
            const grid = inputGridOf(lp.layer, plans);
            const counted = grid && averagePoolCounts(lp.layer);
            if (counted) {
              // Kept as numbers: a tensor held across the session would outlive it.
              const shape = counted.shape;
              const values = counted.dataSync().slice();
              counted.dispose();
              session.hooks.layerOutput.for(name).tap({ name: NAME, stage: Stage.EMULATE }, (out, ctx) => {
                const o = grid.kind === 'range' ? observers.get(grid.key) : undefined;
                if (ctx.calibrating || (grid.kind === 'range' && !o)) return out;
                return tf.tidy(() => {
                  const count = tf.tensor(values, shape);
                  if (grid.kind === 'fixed') return averagePoolOnInputGrid(out as tf.Tensor, count, grid.grid.scale, grid.grid.zeroPoint);
                  const n = nudgeRangeTensors(o!.observer.min, o!.observer.max, { numBits: options.activationBits });
                  // The int8 zero point: the unsigned one minus 2^(bits − 1).
                  const zeroPoint = tf.sub(n.quantZero, 2 ** (options.activationBits - 1)) as tf.Scalar;
                  // A range without width (an input never non-zero) has no grid to round onto.
                  return tf.where(n.degenerate, out as tf.Tensor, averagePoolOnInputGrid(out as tf.Tensor, count, n.scale, zeroPoint));
                });
              });
            }
          }
          const separable = lp.layer.getClassName() === 'SeparableConv2D';
          const inner = lp.innerGrid;
          // A SimpleRNN rounds inside its loop (its own taps; its state is on its activation's fixed grid).
          const recurrent = lp.layer.getClassName() === 'SimpleRNN';
          if (separable) tapSeparable(session, lp, (x, key, ctx) => fakeQuant(x, key, 'activation', ctx));
          else if (recurrent) tapSimpleRnn(session, lp, (x, key, ctx) => fakeQuant(x, key, 'activation', ctx));
          else if (inner) {
            // swish: σ(x) rounded onto LOGISTIC's grid inside the activation (and, fused into a
            // Dense/Conv, the value before it quantized first), which no hook around it can do.
            session.hooks.layerCall.for(name).tap({ name: NAME, stage: Stage.EMULATE }, (inputs, ctx) =>
              callWithActivation(lp.layer, inputs, (v) => {
                const pre = lp.placement === 'preActivationAndOutput' ? fakeQuant(v, preActivationRangeKey(name), 'activation', ctx) : v;
                return ctx.calibrating ? tf.mul(pre, tf.sigmoid(pre)) : swishOnGrid(pre, inner);
              }),
            );
          }
          const merge = CHAINED_MERGES[lp.layer.getClassName()];
          if (merge) {
            // 3+ inputs: the file writes the merge as a chain of binary ADD/MUL and rounds each
            // partial result onto a grid of its own (mergePartialRangeKey); 2 inputs: its call
            // runs unchanged.
            session.hooks.layerCall.for(name).tap({ name: NAME, stage: Stage.EMULATE }, (inputs, ctx) => {
              if (!Array.isArray(inputs) || inputs.length < 3) return undefined;
              return tf.tidy(() => {
                let acc = inputs[0];
                for (let i = 1; i < inputs.length; i++) {
                  acc = merge.combine(acc, inputs[i]);
                  if (i < inputs.length - 1) acc = fakeQuant(acc, mergePartialRangeKey(name, i), 'activation', ctx);
                }
                return merge.finish(acc, inputs.length);
              });
            });
          }
          if (lp.placement === 'output' || lp.placement === 'preActivationAndOutput') {
            session.hooks.layerOutput.for(name).tap({ name: NAME, stage: Stage.EMULATE }, (out, ctx) => {
              if (Array.isArray(out)) throw new SessionError(`${NAME}: layer '${name}' has several outputs; exclude it`);
              return fakeQuant(out, name, 'activation', ctx);
            });
          }
          if ((lp.placement === 'preActivation' || lp.placement === 'preActivationAndOutput') && !separable && !inner && !recurrent) {
            const key = preActivationRangeKey(name);
            session.hooks.preActivation.for(name).tap({ name: NAME, stage: Stage.EMULATE }, (value, ctx) => fakeQuant(value, key, 'activation', ctx));
          }
          const grid = lp.outputGrid;
          if (grid && !recurrent) {
            // Calibration observes float activations downstream, as TF's calibrator does.
            session.hooks.layerOutput.for(name).tap({ name: NAME, stage: Stage.EMULATE }, (out, ctx) => (ctx.calibrating ? out : fakeQuantFixedGrid(out as tf.Tensor, grid)));
          }
          if (lp.modelInputs.size > 0) {
            session.hooks.layerInput.for(name).tap({ name: NAME, stage: Stage.EMULATE }, (inputs, ctx) => {
              const list = Array.isArray(inputs) ? [...inputs] : [inputs];
              for (const [i, key] of lp.modelInputs) list[i] = fakeQuant(list[i], key, 'input', ctx);
              return Array.isArray(inputs) ? list : list[0];
            });
          }
        }

        // The scales come back to JavaScript once per fit; no tensor outlives a fit or the session.
        session.hooks.trainEnd.tap({ name: NAME, stage: Stage.EMULATE }, () => grids.forEach((g) => g.grid?.settle()));
        session.hooks.finish.tap({ name: NAME, stage: Stage.EMULATE }, () => {
          grids.forEach((g) => g.grid?.finalize());
          const unseen = [...observers].filter(([, o]) => o.seen === 0).map(([k]) => k);
          if (options.mode === 'ptq' && (observers.size === 0 || unseen.length > 0)) {
            throw new SessionError(
              `${NAME}: post-training mode has no calibrated range for ${unseen.length > 0 ? unseen.join(', ') : 'any activation'}; ` +
                `call session.calibrate(representativeData) before finish()`,
            );
          }
          if (unseen.length > 0) session.warn(`${NAME}: no batch was observed for ${unseen.join(', ')}; their ranges are the initial ones`);
          for (const [key, o] of observers) {
            const min = o.observer.min.dataSync()[0];
            const max = o.observer.max.dataSync()[0];
            session.state.activationRanges.set(key, { min, max, bits: options.activationBits });
            o.observer.dispose();
          }
          observers.clear();
        });
      },

      saveState(): JsonValue {
        const out: Record<string, JsonValue> = {};
        for (const [key, o] of observers) out[key] = { min: o.observer.min.dataSync()[0], max: o.observer.max.dataSync()[0], seen: o.seen };
        return out;
      },

      loadState(state: JsonValue) {
        pendingRestore = state as Record<string, { min: number; max: number; seen: number }>;
      },

      dispose() {
        // A session disposed without finish(): the observers' variables and the scales on the
        // backend go with it (finish() releases both itself).
        for (const o of observers.values()) o.observer.dispose();
        observers.clear();
        grids.forEach((g) => g.grid?.dispose());
      },
    };
  },
});

/**
 * A SeparableConv2D's activations: its call is replaced (`layerCall`) by the same computation with
 * a fake-quant between its halves (range key `separableDepthwiseRangeKey`, the tensor the int8
 * file rounds there) and, when its placement says so, before its fixed-range activation. Its
 * model-input and output fake-quants are the common `layerInput` / `layerOutput` taps.
 */
function tapSeparable(session: PluginContext, lp: LayerPlan, fakeQuant: (x: tf.Tensor, key: string, ctx: ForwardContext) => tf.Tensor): void {
  const name = lp.layer.name;
  session.hooks.layerCall.for(name).tap({ name: NAME, stage: Stage.EMULATE }, (inputs, ctx) => {
    const quantizesPre = lp.placement === 'preActivation' || lp.placement === 'preActivationAndOutput';
    const pre = quantizesPre ? (v: tf.Tensor) => fakeQuant(v, preActivationRangeKey(name), ctx) : undefined;
    const run = () => separableForward(lp.layer, Array.isArray(inputs) ? inputs[0] : inputs, (d) => fakeQuant(d, separableDepthwiseRangeKey(name), ctx), pre);
    const inner = lp.innerGrid;
    if (!inner || ctx.calibrating) return run();
    // swish: separableForward applies the layer's activation, here the one the file computes.
    const holder = lp.layer as unknown as { activation: unknown };
    const saved = holder.activation;
    holder.activation = { apply: (v: tf.Tensor) => swishOnGrid(v, inner), getClassName: () => 'CollaboptEmulated(swish)' };
    try {
      return run();
    } finally {
      holder.activation = saved;
    }
  });
}

/**
 * A SimpleRNN's activations: its call is replaced (`layerCall`) by the unrolled computation of the
 * int8 file (`simpleRnnForward`), rounding the input projection, each step's recurrent product and
 * sum onto their recorded grids (`recurrentRangeKeys`, one range per key over all steps) and each
 * new state onto its activation's fixed grid (TANH / LOGISTIC), as the file does.
 */
function tapSimpleRnn(session: PluginContext, lp: LayerPlan, fakeQuant: (x: tf.Tensor, key: string, ctx: ForwardContext) => tf.Tensor): void {
  const name = lp.layer.name;
  const keys = recurrentRangeKeys(name);
  const grid = lp.outputGrid!;
  session.hooks.layerCall.for(name).tap({ name: NAME, stage: Stage.EMULATE }, (inputs, ctx) =>
    simpleRnnForward(lp.layer, Array.isArray(inputs) ? inputs[0] : inputs, {
      projection: (v) => fakeQuant(v, keys.projection, ctx),
      recurrent: (v) => fakeQuant(v, keys.recurrent, ctx),
      preActivation: (v) => fakeQuant(v, keys.preActivation, ctx),
      // Calibration observes float activations, as TF's calibrator does.
      state: (h) => (ctx.calibrating ? h : fakeQuantFixedGrid(h, grid)),
    }),
  );
}

/**
 * Weight fake-quant as a projection. Granularity follows clustering: a kernel clustered per tensor
 * is quantized per tensor, so its k values stay ≤ k int8 values (TFMOT #1056: per-channel scales
 * turn k shared values into up to k × channels).
 */
function projectWeight(session: PluginContext, weight: TargetWeight, planned: WeightGranularity, bits: number): { grid: ProjectedGridScales | null } {
  const slot: { grid: ProjectedGridScales | null } = { grid: null };
  let granularity: WeightGranularity | null = null;
  session.hooks.project.for(weight.id).tap({ name: NAME, stage: Stage.EMULATE }, (value, ctx) => {
    if (!granularity || !slot.grid) {
      const clusters = session.state.get<ClustersData>(weight.id, 'clusters');
      granularity = clusters && clusters.data.channels === null ? { kind: 'perTensor' } : planned;
      const layout = weightChannelLayout(weight.shape, granularity);
      const channels = layout.channelCount === 1 && granularity.kind === 'perTensor' ? null : layout.channelCount;
      slot.grid = new ProjectedGridScales(weight.id, channels, bits);
    }
    // Native where registered; during training steps the scales stay on the backend.
    const { values, scales } = symmetricWeightGrid(value, { numBits: bits, granularity, ties: 'even', clip: false });
    slot.grid.set(scales, ctx.phase !== 'update');
    session.state.establish(weight.id, Int8GridInvariant, slot.grid.data, NAME);
    return values;
  });
  return slot;
}
