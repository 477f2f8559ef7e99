/**
 * Makes tfjs's RMSprop, Adam and momentum optimizers update each variable with one native kernel
 * ({@link nativeOptimizerKernels}) instead of 8–12 elementwise ops.
 *
 * Why a patch of `applyGradients`: the optimizers are created by tfjs-layers from a string
 * (`compile({ optimizer: 'rmsprop' })`) or by user code through `tf.train.*`, so collabopt cannot
 * hand out its own classes; replacing the prototype method reaches every instance, existing ones
 * too. The patch changes nothing else: slots are the same variables with the same names (so
 * `getWeights`/`setWeights` and `getConfig` serialization are untouched), and the results equal
 * the stock update to float rounding. Each patched call checks that its kernel is registered for
 * the active backend (native kernels in use on wasm), that every variable and gradient is float32
 * and that each gradient has its variable's shape; otherwise the stock method runs, so the patch is inert
 * on cpu, on tfjs-node, with native kernels off or after they are unregistered.
 *
 * Safety: the kernel writes new buffers and the variables are `assign`ed the results (as the stock
 * update does); a variable's buffer is never written in place, since other tensors (a clone the
 * engine saved for a gradient, a `tf.clone` of the weights) may share it.
 *
 * Opt-out: `COLLABOPT_FUSED_OPTIMIZERS=0` in the environment when the Node entry loads keeps the
 * stock updates (the kernels are then not offered either, and selectBackend's report says the
 * updates are unfused); {@link uninstallFusedOptimizerUpdates} removes the patch at run time.
 */
import * as tf from '@tensorflow/tfjs';
import { ADAM_UPDATE_KERNEL, MOMENTUM_UPDATE_KERNEL, RMSPROP_UPDATE_KERNEL } from '../collaboptKernelNames';
import type { AdamUpdateAttrs, MomentumUpdateAttrs, RmsPropUpdateAttrs } from './nativeOptimizerKernels';

/**
 * Environment variable that, set to `0` when the Node entry loads, keeps tfjs's own optimizer
 * updates.
 * @group Backends
 */
export const FUSED_OPTIMIZERS_ENV_VAR = 'COLLABOPT_FUSED_OPTIMIZERS';

type Gradients = tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[];
type Slot = { originalName: string; variable: tf.Variable } | undefined;
type Apply = (this: tf.Optimizer, variableGradients: Gradients) => void;

interface OptimizerInternals { incrementIterations(): void }
interface RmsPropInternals extends OptimizerInternals {
  learningRate: number; decay: number; momentum: number; epsilon: number; centered: boolean;
  accumulatedMeanSquares: Slot[]; accumulatedMoments: Slot[]; accumulatedMeanGrads: Slot[];
}
interface AdamInternals extends OptimizerInternals {
  learningRate: number; beta1: number; beta2: number; epsilon: number; accBeta1: tf.Variable; accBeta2: tf.Variable;
  accumulatedFirstMoment: Slot[]; accumulatedSecondMoment: Slot[];
}
interface MomentumInternals extends OptimizerInternals { m: tf.Scalar; c: tf.Scalar; useNesterov: boolean; accumulations: Slot[] }

/** The variables and gradients of one call, in tfjs's order, or undefined when some cannot be fused. */
function entriesOf(variableGradients: Gradients, kernelName: string): { name: string; value: tf.Variable; gradient: tf.Tensor | undefined }[] | undefined {
  if (tf.getKernel(kernelName, tf.getBackend()) == null) return undefined;
  const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
  const entries = names.map((name, i) => ({
    name,
    value: tf.engine().registeredVariables[name]!,
    gradient: (Array.isArray(variableGradients) ? variableGradients[i]!.tensor : variableGradients[name]) ?? undefined,
  }));
  const fusable = entries.every(({ value, gradient }) => value != null && value.dtype === 'float32' &&
    (gradient == null || (gradient.dtype === 'float32' && tf.util.arraysEqual(gradient.shape, value.shape))));
  return fusable ? entries : undefined;
}

/** A non-trainable zero slot for `value`, as the stock optimizers make it. */
function slot(slots: Slot[], i: number, name: string, value: tf.Variable): tf.Variable {
  slots[i] ??= { originalName: name, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
  return slots[i].variable;
}

function run(kernelName: string, inputs: tf.NamedTensorMap, attrs: object): tf.Tensor[] {
  return tf.engine().runKernel(kernelName, inputs, attrs as tf.NamedAttrMap) as tf.Tensor[];
}

function fusedRmsProp(stock: Apply): Apply {
  return function (this: tf.Optimizer, variableGradients) {
    const entries = entriesOf(variableGradients, RMSPROP_UPDATE_KERNEL);
    if (entries == null) return stock.call(this, variableGradients);
    const o = this as unknown as RmsPropInternals;
    entries.forEach(({ name, value, gradient }, i) => {
      const meanSquare = slot(o.accumulatedMeanSquares, i, `${name}/rms`, value);
      const moment = slot(o.accumulatedMoments, i, `${name}/momentum`, value);
      const meanGrad = o.centered ? slot(o.accumulatedMeanGrads, i, `${name}/mg`, value) : undefined;
      if (gradient == null) return;
      const attrs: RmsPropUpdateAttrs = { decay: o.decay, learningRate: o.learningRate, epsilon: o.epsilon, momentum: o.momentum, centered: o.centered };
      tf.tidy(() => {
        const [newValue, newMeanSquare, newMoment, newMeanGrad] = run(RMSPROP_UPDATE_KERNEL,
          { gradient, value, meanSquare, moment, ...(meanGrad != null ? { meanGrad } : {}) }, attrs);
        meanSquare.assign(newMeanSquare!);
        if (meanGrad != null) meanGrad.assign(newMeanGrad!);
        moment.assign(newMoment!);
        value.assign(newValue!);
      });
    });
    o.incrementIterations();
  };
}

function fusedAdam(stock: Apply): Apply {
  return function (this: tf.Optimizer, variableGradients) {
    const entries = entriesOf(variableGradients, ADAM_UPDATE_KERNEL);
    if (entries == null) return stock.call(this, variableGradients);
    const o = this as unknown as AdamInternals;
    tf.tidy(() => {
      entries.forEach(({ name, value, gradient }, i) => {
        const firstMoment = slot(o.accumulatedFirstMoment, i, `${name}/m`, value);
        const secondMoment = slot(o.accumulatedSecondMoment, i, `${name}/v`, value);
        if (gradient == null) return;
        const attrs: AdamUpdateAttrs = { beta1: o.beta1, beta2: o.beta2, learningRate: o.learningRate, epsilon: o.epsilon };
        const [newValue, newFirst, newSecond] = run(ADAM_UPDATE_KERNEL,
          { gradient, value, firstMoment, secondMoment, accBeta1: o.accBeta1, accBeta2: o.accBeta2 }, attrs);
        firstMoment.assign(newFirst!);
        secondMoment.assign(newSecond!);
        value.assign(newValue!);
      });
      o.accBeta1.assign(tf.mul(o.accBeta1, o.beta1));
      o.accBeta2.assign(tf.mul(o.accBeta2, o.beta2));
    });
    o.incrementIterations();
  };
}

function fusedMomentum(stock: Apply): Apply {
  return function (this: tf.Optimizer, variableGradients) {
    const entries = entriesOf(variableGradients, MOMENTUM_UPDATE_KERNEL);
    if (entries == null) return stock.call(this, variableGradients);
    const o = this as unknown as MomentumInternals;
    entries.forEach(({ name, value, gradient }, i) => {
      const accumulation = slot(o.accumulations, i, `${name}/momentum`, value);
      if (gradient == null) return;
      const attrs: MomentumUpdateAttrs = { nesterov: o.useNesterov };
      tf.tidy(() => {
        const [newValue, newAccumulation] = run(MOMENTUM_UPDATE_KERNEL, { gradient, value, accumulation, momentum: o.m, c: o.c }, attrs);
        accumulation.assign(newAccumulation!);
        value.assign(newValue!);
      });
    });
    o.incrementIterations();
  };
}

const PATCHES: readonly { cls: { prototype: tf.Optimizer }; make: (stock: Apply) => Apply }[] = [
  { cls: tf.RMSPropOptimizer, make: fusedRmsProp },
  { cls: tf.AdamOptimizer, make: fusedAdam },
  { cls: tf.MomentumOptimizer, make: fusedMomentum },
];

/** The stock methods while the patch is installed. */
let installed: Apply[] | undefined;

/**
 * Patches `applyGradients` of tfjs's RMSprop, Adam and momentum optimizers (once; calling it again
 * is harmless). The Node entry calls it when the native addon loads, unless
 * `COLLABOPT_FUSED_OPTIMIZERS=0`.
 * @group Backends
 */
export function installFusedOptimizerUpdates(): void {
  if (installed != null) return;
  installed = PATCHES.map(({ cls, make }) => {
    const proto = cls.prototype as unknown as { applyGradients: Apply };
    const stock = proto.applyGradients;
    proto.applyGradients = make(stock);
    return stock;
  });
}

/**
 * Restores the stock `applyGradients` methods (harmless when not installed).
 * @group Backends
 */
export function uninstallFusedOptimizerUpdates(): void {
  if (installed == null) return;
  PATCHES.forEach(({ cls }, i) => { (cls.prototype as unknown as { applyGradients: Apply }).applyGradients = installed![i]!; });
  installed = undefined;
}

/** Whether the patch is installed. */
export function fusedOptimizerUpdatesInstalled(): boolean {
  return installed != null;
}
