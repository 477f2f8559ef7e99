/**
 * The functions of collabopt's native addon (core/native), as the kernels call them.
 *
 * Every function computes in place in the wasm heap: `heap` is `backend.wasm.HEAPU8.buffer`,
 * tensor arguments are byte offsets into it (`memoryOffset`), and a convolution's geometry is the
 * 15 numbers of {@link ConvGeometry}. The addon checks every range against the heap and throws a
 * TypeError for a call that does not fit.
 */

/** batch, inH, inW, inC, outH, outW, outC, fH, fW, strideH, strideW, dilationH, dilationW, padTop, padLeft. */
export type ConvGeometry = readonly number[];

/** The addon's exports. */
export interface NativeAddon {
  info(): { threads: number; isa: string };
  conv2d(heap: ArrayBuffer, x: number, w: number, bias: number, y: number, activation: number, ...geometry: number[]): void;
  conv2dBackpropInput(heap: ArrayBuffer, dy: number, w: number, dx: number, ...geometry: number[]): void;
  conv2dBackpropFilter(heap: ArrayBuffer, x: number, dy: number, dw: number, ...geometry: number[]): void;
  depthwiseConv2d(heap: ArrayBuffer, x: number, w: number, y: number, multiplier: number, ...geometry: number[]): void;
  depthwiseBackpropInput(heap: ArrayBuffer, dy: number, w: number, dx: number, multiplier: number, ...geometry: number[]): void;
  depthwiseBackpropFilter(heap: ArrayBuffer, x: number, dy: number, dw: number, multiplier: number, ...geometry: number[]): void;
  batchMatMul(heap: ArrayBuffer, a: number, b: number, c: number, batchA: number, batchB: number, m: number, n: number, k: number, transposeA: number, transposeB: number): void;
  reduceRows(heap: ArrayBuffer, x: number, out: number, outer: number, inner: number, scale: number): void;
  batchNorm(heap: ArrayBuffer, x: number, mean: number, variance: number, offset: number, scale: number, y: number, rows: number, channels: number, epsilon: number, meanSize: number, varianceSize: number, offsetSize: number, scaleSize: number): void;
  /** BatchNormalization's training forward: y and the batch mean and (biased) variance. */
  batchNormTraining(heap: ArrayBuffer, x: number, scale: number, offset: number, y: number, mean: number, variance: number, rows: number, channels: number, epsilon: number): void;
  /** Its gradient: dx, dscale, doffset from dy and the upstream gradients of the statistics. */
  batchNormTrainingGrad(heap: ArrayBuffer, dy: number, x: number, mean: number, variance: number, scale: number, dmean: number, dvariance: number, dx: number, dscale: number, doffset: number, rows: number, channels: number, epsilon: number): void;
  maxPool(heap: ArrayBuffer, x: number, y: number, ...geometry: number[]): void;
  maxPoolGrad(heap: ArrayBuffer, dy: number, x: number, dx: number, ...geometry: number[]): void;
  /** `scale`, `lowLevel`, `highLevel` are offsets of 1-element tensors; `n` is x's size. */
  fakeQuantAffine(heap: ArrayBuffer, x: number, scale: number, lowLevel: number, highLevel: number, y: number, n: number): void;
  /** `bandMin`, `bandMax` are offsets of 1-element tensors; `n` is x's size. */
  fakeQuantAffineGrad(heap: ArrayBuffer, dy: number, x: number, bandMin: number, bandMax: number, dx: number, n: number): void;
  /** A range observer's update over `n` elements of `x`; `min`, `max`, `outMin`, `outMax` are offsets of 1-element tensors; mode 0 moving average, 1 replace, 2 widen. */
  rangeObserve(heap: ArrayBuffer, x: number, min: number, max: number, outMin: number, outMax: number, n: number, mode: number, rate: number): void;
  /** The activation fake-quant's nudged grid: `min`, `max` and the five outputs are offsets of 1-element tensors. */
  fakeQuantNudge(heap: ArrayBuffer, min: number, max: number, scale: number, lowLevel: number, highLevel: number, bandMin: number, bandMax: number,
    quantMin: number, quantMax: number): void;
  /**
   * Symmetric weight fake-quant: `y` (`size` elements) and `scales` (`channels` elements) from
   * `x`; element `i` is in channel `⌊i / inner⌋ mod channels`. `tiesToEven` and `clip` are 0 or 1.
   */
  fakeQuantSymmetric(heap: ArrayBuffer, x: number, y: number, scales: number, size: number, channels: number, inner: number, quantMax: number,
    tiesToEven: number, clip: number): void;
  /** Relu's gradient `dy · step(x)` over `n` elements. */
  reluGrad(heap: ArrayBuffer, dy: number, x: number, dx: number, n: number): void;
  /** Relu6's gradient `dy · ((x ≤ 6) · step(x))` over `n` elements. */
  relu6Grad(heap: ArrayBuffer, dy: number, x: number, dx: number, n: number): void;
  /** ClipByValue's gradient: `dy` where `lo ≤ x ≤ hi`, else +0. */
  clipByValueGrad(heap: ArrayBuffer, dy: number, x: number, dx: number, n: number, lo: number, hi: number): void;
  /** One variable's RMSprop update; `mg` and `outMg` are −1 unless centered. */
  rmsPropUpdate(heap: ArrayBuffer, g: number, value: number, ms: number, mom: number, mg: number, outValue: number, outMs: number, outMom: number, outMg: number, n: number,
    decay: number, oneMinusDecay: number, learningRate: number, epsilon: number, momentum: number): void;
  /** One variable's Adam update; `accBeta1`, `accBeta2` are offsets of 1-element tensors (β^t). */
  adamUpdate(heap: ArrayBuffer, g: number, value: number, m: number, v: number, accBeta1: number, accBeta2: number, outValue: number, outM: number, outV: number, n: number,
    beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number, negLearningRate: number, epsilon: number): void;
  /** One variable's momentum update; `momentum`, `c` (−learning rate) are offsets of 1-element tensors. */
  momentumUpdate(heap: ArrayBuffer, g: number, value: number, accum: number, momentum: number, c: number, outValue: number, outAccum: number, n: number, nesterov: number): void;
  /**
   * The cluster projection; `prevX`/`prevAssignment` are −1 when `update` is 0 (none; 1 mean,
   * 2 sum). Returns `[kind, channel, index, value]` for the first problem (1 a non-finite
   * centroid, 2 a non-finite weight, 3 a previous assignment outside `[0, k)`), else undefined.
   */
  clusterProject(heap: ArrayBuffer, x: number, prevX: number, prevAssignment: number, centroids: number, y: number, assignment: number,
    centroidsOut: number, size: number, channels: number, inner: number, k: number, update: number, pinZero: number): [number, number, number, number] | undefined;
}

/** The export names a usable binary must have (a stale build lacks some). */
export const NATIVE_ADDON_FUNCTIONS: readonly (keyof NativeAddon)[] = [
  'info', 'conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter', 'depthwiseConv2d', 'depthwiseBackpropInput',
  'depthwiseBackpropFilter', 'batchMatMul', 'reduceRows', 'batchNorm', 'batchNormTraining', 'batchNormTrainingGrad', 'maxPool', 'maxPoolGrad',
  'fakeQuantAffine', 'fakeQuantAffineGrad', 'fakeQuantNudge', 'fakeQuantSymmetric', 'rangeObserve', 'reluGrad', 'relu6Grad', 'clipByValueGrad', 'rmsPropUpdate', 'adamUpdate', 'momentumUpdate', 'clusterProject',
];
