/**
 * Native optimizer updates for the wasm backend (core/native/src/optimizerUpdate.cc): the kernels
 * {@link RMSPROP_UPDATE_KERNEL}, {@link ADAM_UPDATE_KERNEL} and {@link MOMENTUM_UPDATE_KERNEL},
 * each one variable's whole update with the new value and every new slot as separate outputs.
 *
 * Why: tfjs's optimizers spend 8–12 elementwise kernels per variable per step. These are
 * collabopt's own ops, run only by {@link installFusedOptimizerUpdates}'s patched optimizers, so
 * there is no fallback: inputs they cannot take throw a BackendError naming the kernel. The
 * scalar constants are passed as tfjs would make them (the JS expressions `1 - decay`,
 * `-learningRate` evaluated in double, then rounded to float32 by the addon).
 */
import * as tf from '@tensorflow/tfjs';
import { ADAM_UPDATE_KERNEL, MOMENTUM_UPDATE_KERNEL, RMSPROP_UPDATE_KERNEL } from '../collaboptKernelNames';
import type { NativeKernelFactory } from '../nativeKernelProvider';
import type { NativeAddon } from './NativeAddon';
import { nativeKernelConfig, sameShape } from './nativeKernel';

const isScalar = (t: tf.TensorInfo | undefined): t is tf.TensorInfo => t != null && tf.util.sizeFromShape(t.shape) === 1;
const allShaped = (shape: number[], ts: (tf.TensorInfo | undefined)[]): ts is tf.TensorInfo[] => ts.every((t) => t != null && sameShape(t.shape, shape));

/** Attributes of {@link RMSPROP_UPDATE_KERNEL}. */
export interface RmsPropUpdateAttrs { decay: number; learningRate: number; epsilon: number; momentum: number; centered: boolean }
/** Attributes of {@link ADAM_UPDATE_KERNEL}. */
export interface AdamUpdateAttrs { beta1: number; beta2: number; learningRate: number; epsilon: number }
/** Attributes of {@link MOMENTUM_UPDATE_KERNEL}. */
export interface MomentumUpdateAttrs { nesterov: boolean }

/** The native optimizer-update factories, by kernel name. */
export function nativeOptimizerKernels(addon: NativeAddon): Map<string, NativeKernelFactory> {
  const rmsProp: NativeKernelFactory = (options) =>
    nativeKernelConfig(RMSPROP_UPDATE_KERNEL, options, (inputs, attrs) => {
      const { gradient, value, meanSquare, moment, meanGrad } = inputs;
      const a = attrs as unknown as RmsPropUpdateAttrs;
      if (value == null) return undefined;
      const slots = a.centered ? [gradient, meanSquare, moment, meanGrad] : [gradient, meanSquare, moment];
      if (!allShaped(value.shape, slots)) return undefined;
      return {
        inputs: [value, ...slots],
        outShape: value.shape.slice(),
        extraOutShapes: sameShapes(value.shape, a.centered ? 3 : 2),
        run: (heap, [v, g, ms, mom, mg], ov, [oms, omom, omg]) => addon.rmsPropUpdate(
          heap, g!, v!, ms!, mom!, mg ?? -1, ov, oms!, omom!, omg ?? -1, tf.util.sizeFromShape(value.shape),
          a.decay, 1 - a.decay, a.learningRate, a.epsilon, a.momentum),
      };
    });
  const adam: NativeKernelFactory = (options) =>
    nativeKernelConfig(ADAM_UPDATE_KERNEL, options, (inputs, attrs) => {
      const { gradient, value, firstMoment, secondMoment, accBeta1, accBeta2 } = inputs;
      const a = attrs as unknown as AdamUpdateAttrs;
      if (value == null || !allShaped(value.shape, [gradient, firstMoment, secondMoment]) || !isScalar(accBeta1) || !isScalar(accBeta2)) return undefined;
      return {
        inputs: [gradient!, value, firstMoment!, secondMoment!, accBeta1, accBeta2],
        outShape: value.shape.slice(),
        extraOutShapes: sameShapes(value.shape, 2),
        run: (heap, [g, v, m, s, b1, b2], ov, [om, os]) => addon.adamUpdate(
          heap, g!, v!, m!, s!, b1!, b2!, ov, om!, os!, tf.util.sizeFromShape(value.shape),
          a.beta1, 1 - a.beta1, a.beta2, 1 - a.beta2, -a.learningRate, a.epsilon),
      };
    });
  const momentum: NativeKernelFactory = (options) =>
    nativeKernelConfig(MOMENTUM_UPDATE_KERNEL, options, (inputs, attrs) => {
      const { gradient, value, accumulation, momentum: m, c } = inputs;
      const a = attrs as unknown as MomentumUpdateAttrs;
      if (value == null || !allShaped(value.shape, [gradient, accumulation]) || !isScalar(m) || !isScalar(c)) return undefined;
      return {
        inputs: [gradient!, value, accumulation!, m, c],
        outShape: value.shape.slice(),
        extraOutShapes: sameShapes(value.shape, 1),
        run: (heap, [g, v, acc, mo, co], ov, [oacc]) => addon.momentumUpdate(
          heap, g!, v!, acc!, mo!, co!, ov, oacc!, tf.util.sizeFromShape(value.shape), a.nesterov ? 1 : 0),
      };
    });
  return new Map([
    [RMSPROP_UPDATE_KERNEL, rmsProp],
    [ADAM_UPDATE_KERNEL, adam],
    [MOMENTUM_UPDATE_KERNEL, momentum],
  ]);
}

/** `count` more outputs of the variable's shape (the new optimizer slots). */
function sameShapes(shape: readonly number[], count: number): number[][] {
  return Array.from({ length: count }, () => shape.slice());
}
