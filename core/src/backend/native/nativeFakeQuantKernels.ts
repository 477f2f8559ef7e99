/**
 * Native fake-quant for the wasm backend: the activation kernels {@link FAKE_QUANT_AFFINE_KERNEL},
 * {@link FAKE_QUANT_AFFINE_GRAD_KERNEL}, {@link FAKE_QUANT_NUDGE_KERNEL} (the range's grid: one
 * kernel instead of ~25 scalar ones per quantized activation per step) and
 * {@link RANGE_OBSERVE_KERNEL} (the observer's update: one pass for min and max and no scalar
 * kernels; core/native/src/fakeQuant.cc) and the weight kernel
 * {@link FAKE_QUANT_SYMMETRIC_KERNEL} (fakeQuantSymmetric.cc).
 *
 * Why: the quantize plugin's composite of fast wasm kernels still made ~20 passes over every
 * quantized activation per step (forward and gradient), ~90 ms of a 134 ms mnist step; each of
 * these is one pass. Its weight projection was ~17 kernels per quantized kernel per step plus a
 * read-back of the scales; it is two passes, with the scales left in the heap. They are
 * collabopt's own ops, so there is no fallback: inputs they cannot take (a non-scalar range, a
 * shape mismatch, a layout that does not divide the weight) throw a BackendError naming the kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { FAKE_QUANT_AFFINE_GRAD_KERNEL, FAKE_QUANT_AFFINE_KERNEL, FAKE_QUANT_NUDGE_KERNEL, FAKE_QUANT_SYMMETRIC_KERNEL, RANGE_OBSERVE_KERNEL } from '../collaboptKernelNames';
import { BackendError } from '../BackendError';
import type { NativeKernelFactory } from '../nativeKernelProvider';
import type { NativeAddon } from './NativeAddon';
import { nativeKernelConfig, sameShape } from './nativeKernel';

const OBSERVE_MODES: Readonly<Record<string, number>> = { movingAverage: 0, replace: 1, widen: 2 };

const isScalar = (t: tf.TensorInfo | undefined): t is tf.TensorInfo => t != null && tf.util.sizeFromShape(t.shape) === 1;

/** The native fake-quant factories, by kernel name. */
export function nativeFakeQuantKernels(addon: NativeAddon): Map<string, NativeKernelFactory> {
  const forward: NativeKernelFactory = (options) =>
    nativeKernelConfig(FAKE_QUANT_AFFINE_KERNEL, options, (inputs) => {
      const { x, scale, lowLevel, highLevel } = inputs;
      if (x == null || !isScalar(scale) || !isScalar(lowLevel) || !isScalar(highLevel)) return undefined;
      return {
        inputs: [x, scale, lowLevel, highLevel],
        outShape: x.shape.slice(),
        run: (heap, [xo, so, lo, ho], out) => addon.fakeQuantAffine(heap, xo!, so!, lo!, ho!, out, tf.util.sizeFromShape(x.shape)),
      };
    });
  const gradient: NativeKernelFactory = (options) =>
    nativeKernelConfig(FAKE_QUANT_AFFINE_GRAD_KERNEL, options, (inputs) => {
      const { dy, x, bandMin, bandMax } = inputs;
      if (dy == null || x == null || !sameShape(dy.shape, x.shape) || !isScalar(bandMin) || !isScalar(bandMax)) return undefined;
      return {
        inputs: [dy, x, bandMin, bandMax],
        outShape: x.shape.slice(),
        run: (heap, [dyo, xo, lo, ho], out) => addon.fakeQuantAffineGrad(heap, dyo!, xo!, lo!, ho!, out, tf.util.sizeFromShape(x.shape)),
      };
    });
  const nudge: NativeKernelFactory = (options) =>
    nativeKernelConfig(FAKE_QUANT_NUDGE_KERNEL, options, (inputs, attrs) => {
      const { min, max } = inputs;
      const quantMin = attrs['quantMin'] as number;
      const quantMax = attrs['quantMax'] as number;
      if (!isScalar(min) || !isScalar(max) || !Number.isInteger(quantMin) || !Number.isInteger(quantMax) || !(quantMin >= 0 && quantMin < quantMax)) {
        throw new BackendError(`${FAKE_QUANT_NUDGE_KERNEL}: needs scalar min and max and integer attributes 0 <= quantMin < quantMax`);
      }
      return {
        inputs: [min, max],
        outShape: [],
        extraOutShapes: [[], [], [], []],
        run: (heap, [lo, hi], scale, [low, high, bandMin, bandMax]) => addon.fakeQuantNudge(heap, lo!, hi!, scale, low!, high!, bandMin!, bandMax!, quantMin, quantMax),
      };
    });
  const observe: NativeKernelFactory = (options) =>
    nativeKernelConfig(RANGE_OBSERVE_KERNEL, options, (inputs, attrs) => {
      const { x, min, max } = inputs;
      const mode = OBSERVE_MODES[String(attrs['mode'])];
      const rate = attrs['rate'] as number;
      if (x == null || !isScalar(min) || !isScalar(max) || mode == null || (mode === 0 && !(typeof rate === 'number' && rate >= 0 && rate <= 1))) {
        throw new BackendError(`${RANGE_OBSERVE_KERNEL}: needs x, scalar min and max, attribute mode ('movingAverage', 'replace', 'widen') and, for the moving average, rate in [0, 1]`);
      }
      return {
        inputs: [x, min, max],
        outShape: [],
        extraOutShapes: [[]],
        run: (heap, [xo, lo, hi], outMin, [outMax]) => addon.rangeObserve(heap, xo!, lo!, hi!, outMin, outMax!, tf.util.sizeFromShape(x.shape), mode, mode === 0 ? rate : 0),
      };
    });
  const symmetric: NativeKernelFactory = (options) =>
    nativeKernelConfig(FAKE_QUANT_SYMMETRIC_KERNEL, options, (inputs, attrs) => {
      const { x } = inputs;
      const channels = attrs['channels'] as number;
      const inner = attrs['inner'] as number;
      const numBits = attrs['numBits'] as number;
      const ties = attrs['ties'];
      const n = x == null ? 0 : tf.util.sizeFromShape(x.shape);
      const valid = x != null && [channels, inner].every((v) => Number.isInteger(v) && v > 0) && n % (channels * inner) === 0 &&
        Number.isInteger(numBits) && numBits >= 2 && numBits <= 8 && (ties === 'even' || ties === 'awayFromZero');
      if (!valid) {
        throw new BackendError(`${FAKE_QUANT_SYMMETRIC_KERNEL}: needs x and attributes channels, inner (positive integers dividing x's size), numBits (2..8) and ties ('even' or 'awayFromZero')`);
      }
      return {
        inputs: [x],
        outShape: x.shape.slice(),
        extraOutShapes: [[channels]],
        run: (heap, [xo], y, [scales]) =>
          addon.fakeQuantSymmetric(heap, xo!, y, scales!, n, channels, inner, 2 ** (numBits - 1) - 1, ties === 'even' ? 1 : 0, attrs['clip'] ? 1 : 0),
      };
    });
  return new Map([
    [FAKE_QUANT_AFFINE_KERNEL, forward],
    [FAKE_QUANT_AFFINE_GRAD_KERNEL, gradient],
    [FAKE_QUANT_NUDGE_KERNEL, nudge],
    [FAKE_QUANT_SYMMETRIC_KERNEL, symmetric],
    [RANGE_OBSERVE_KERNEL, observe],
  ]);
}
