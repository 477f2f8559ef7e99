/**
 * Registers collabopt's training kernels with the tfjs kernel registry, and takes them out again.
 *
 * Why this exists: the wasm backend cannot train conv nets as shipped (three gradient kernels are
 * missing) and trains them slowly where its kernel is a plain loop; the cpu backend spends ~90% of
 * a CNN step in its filter-gradient loop. Registration fills the gaps and replaces the slow
 * kernels, keeping each replaced kernel for the inputs where it is faster. It is reference-counted
 * per kernel, so independent callers (selectBackend, tests, user code) can each register and
 * unregister without pulling kernels from under one another.
 */
import * as tf from '@tensorflow/tfjs';
import { batchMatMulKernel } from './batchMatMulKernel';
import { conv2DBackpropFilterKernel } from './conv2DBackpropFilterKernel';
import { conv2DBackpropInputKernel } from './conv2DBackpropInputKernel';
import { depthwiseConv2dNativeBackpropFilterKernel } from './depthwiseConv2dNativeBackpropFilterKernel';
import { depthwiseConv2dNativeBackpropInputKernel } from './depthwiseConv2dNativeBackpropInputKernel';
import { fusedBatchNormGradient } from './fusedBatchNormGradient';
import { conv2DDilatedGradient } from './conv2DDilatedGradient';
import { depthwiseConv2dNativeDilatedGradient } from './depthwiseConv2dNativeDilatedGradient';
import { holdDilatedConv2DLayerCall } from './dilatedConv2DLayerCall';
import { COLLABOPT_KERNEL_NAMES } from './collaboptKernelNames';
import { getNativeKernelProvider, type NativeKernelFactory } from './nativeKernelProvider';
import { isTrainingKernelConfig, type TrainingKernelConfig, type TrainingKernelOptions } from './TrainingKernelConfig';

/**
 * Backends collabopt has training kernels for.
 * @group Backends
 */
export type TrainingKernelBackend = 'wasm' | 'cpu';

/**
 * Options of {@link registerTrainingKernels}.
 * @group Backends
 */
export interface RegisterTrainingKernelsOptions {
  /** Backends to register kernels for. Default: both `'wasm'` and `'cpu'`. */
  readonly backends?: readonly TrainingKernelBackend[];
  /**
   * Use the native kernels (Node addon, wasm backend) where they are loaded. Default `true`.
   * A kernel another registration already put in place stays as it is (the first one decides).
   */
  readonly nativeKernels?: boolean;
}

/**
 * One kernel a registration put in place.
 * @group Backends
 */
export interface RegisteredTrainingKernel {
  /** tfjs kernel name, e.g. `'Conv2DBackpropFilter'`. */
  readonly kernelName: string;
  /** Backend the kernel is registered for. */
  readonly backendName: TrainingKernelBackend;
  /**
   * `'added'`: the backend had no such kernel. `'replaced'`: the backend's own kernel was replaced
   * and is still used where it is faster.
   */
  readonly mode: 'added' | 'replaced';
  /**
   * True for a native kernel (computed by collabopt's Node addon in the wasm heap); false for a
   * kernel composed of tf ops.
   */
  readonly native: boolean;
}

/**
 * What {@link registerTrainingKernels} did, and how to undo it.
 * @group Backends
 */
export interface TrainingKernelRegistration {
  /** The kernels in place for this registration. */
  readonly kernels: readonly RegisteredTrainingKernel[];
  /**
   * Gradients (by kernel name) this registration put in place of tfjs-core's. Gradients are not
   * per backend: they are registered with the wasm kernels and apply to every backend.
   */
  readonly gradients: readonly string[];
  /**
   * Kernels left alone, with the reason: the backend already has its own (native) kernel where
   * collabopt only fills gaps, or the backend package was not loaded yet when a kernel needed its
   * stock version.
   */
  readonly skipped: readonly {
    /** The tfjs kernel name, e.g. `'Conv2DBackpropFilter'`. */
    readonly kernelName: string;
    /** The backend it was skipped on. */
    readonly backendName: string;
    /** Why it was left alone. */
    readonly reason: string;
  }[];
  /**
   * Releases this registration. When no other registration holds a kernel, the registry gets back
   * what it had before (the stock kernel, or nothing). Calling it twice is harmless.
   */
  unregister(): void;
}

type Factory = (options: TrainingKernelOptions) => TrainingKernelConfig;

/**
 * The plan: which composed kernel goes where. `fillsGap` kernels are only registered where the
 * backend has none of its own; the others replace the stock kernel, which they delegate to where
 * it measured faster, so they are only registered when there is one to replace. Native kernels
 * (when loaded) take precedence on wasm: they take the composed kernel, else the stock one, as
 * their fallback, and follow the same gap/replace rule (a kernel with no plan entry replaces).
 */
const PLAN: readonly { kernelName: string; backendName: TrainingKernelBackend; factory: Factory; fillsGap: boolean }[] = [
  { kernelName: tf.Conv2DBackpropFilter, backendName: 'wasm', factory: conv2DBackpropFilterKernel, fillsGap: true },
  { kernelName: tf.DepthwiseConv2dNativeBackpropFilter, backendName: 'wasm', factory: depthwiseConv2dNativeBackpropFilterKernel, fillsGap: true },
  { kernelName: tf.DepthwiseConv2dNativeBackpropInput, backendName: 'wasm', factory: depthwiseConv2dNativeBackpropInputKernel, fillsGap: true },
  { kernelName: tf.Conv2DBackpropInput, backendName: 'wasm', factory: conv2DBackpropInputKernel, fillsGap: false },
  { kernelName: tf.BatchMatMul, backendName: 'wasm', factory: batchMatMulKernel, fillsGap: false },
  { kernelName: tf.Conv2DBackpropFilter, backendName: 'cpu', factory: conv2DBackpropFilterKernel, fillsGap: false },
];

/** Live registrations per `backend/kernel`: how many holders, and what to restore at zero. */
const holders = new Map<string, { count: number; mode: 'added' | 'replaced'; native: boolean; stock?: tf.KernelConfig }>();

const keyOf = (backendName: string, kernelName: string): string => `${backendName}/${kernelName}`;

/** Gradients replaced along with the wasm kernels, and the holders of each. */
const GRADIENT_PLAN: readonly { kernelName: string; factory: (stock: tf.GradConfig | undefined) => tf.GradConfig }[] = [
  { kernelName: tf.FusedBatchNorm, factory: fusedBatchNormGradient },
  { kernelName: tf.Conv2D, factory: conv2DDilatedGradient },
  { kernelName: tf.DepthwiseConv2dNative, factory: depthwiseConv2dNativeDilatedGradient },
];
const gradientHolders = new Map<string, { count: number; ours: tf.GradConfig; stock?: tf.GradConfig }>();

/**
 * Puts collabopt's training kernels in place for the given backends (default wasm and cpu):
 *
 * - wasm: `Conv2DBackpropFilter`, `DepthwiseConv2dNativeBackpropFilter`,
 *   `DepthwiseConv2dNativeBackpropInput` (missing from tfjs-backend-wasm), a faster
 *   `Conv2DBackpropInput` (the stock one is a plain loop; it stays in use for tiny problems),
 *   a `BatchMatMul` that keeps transposed products on XNNPACK, and (for every backend, as
 *   gradients are global) a `FusedBatchNorm` gradient without `Tile` and `Conv2D` /
 *   `DepthwiseConv2dNative` gradients that handle dilations above 1 (tfjs-core's refuse them;
 *   the Conv2D layer is routed through the plain op for dilated calls meanwhile, see
 *   `dilatedConv2DLayerCall`);
 * - cpu: a faster `Conv2DBackpropFilter` (the stock one stays in use for tiny problems).
 *
 * Call it after the wasm backend package is imported (selectBackend does), so the wasm
 * `Conv2DBackpropInput` has a stock kernel to replace. Registration does not depend on the
 * backend being initialised or active.
 *
 * @returns what was registered and an `unregister()` that undoes it.
 * @group Backends
 */
export function registerTrainingKernels(options: RegisterTrainingKernelsOptions = {}): TrainingKernelRegistration {
  const backends = options.backends ?? ['wasm', 'cpu'];
  for (const b of backends) {
    if (b !== 'wasm' && b !== 'cpu') {
      throw new TypeError(`registerTrainingKernels: unknown backend '${String(b)}' (collabopt has training kernels for 'wasm' and 'cpu').`);
    }
  }
  const held: string[] = [];
  const kernels: RegisteredTrainingKernel[] = [];
  const skipped: { kernelName: string; backendName: string; reason: string }[] = [];

  for (const step of planFor(backends, options.nativeKernels !== false)) {
    const key = keyOf(step.backendName, step.kernelName);
    const current = tf.getKernel(step.kernelName, step.backendName);
    // A holder whose kernel someone else has since registered over is stale: start afresh.
    if (!isTrainingKernelConfig(current)) holders.delete(key);
    const holder = holders.get(key);
    if (holder != null) {
      holder.count++;
      held.push(key);
      kernels.push({ kernelName: step.kernelName, backendName: step.backendName, mode: holder.mode, native: holder.native });
      continue;
    }
    if (step.fillsGap && current != null && !isTrainingKernelConfig(current)) {
      skipped.push({ ...pick(step), reason: `the ${step.backendName} backend has its own ${step.kernelName} kernel` });
      continue;
    }
    if (!step.fillsGap && (isTrainingKernelConfig(current) ? current.stock : current) == null) {
      skipped.push({
        ...pick(step),
        reason: `no stock ${step.kernelName} kernel is registered for ${step.backendName} yet ` +
          `(import the backend package before registering)`,
      });
      continue;
    }
    // A training kernel found here without a holder comes from another copy of collabopt: reuse
    // the stock kernel it kept rather than losing it.
    const stock = isTrainingKernelConfig(current) ? current.stock : current;
    const base = { backendName: step.backendName, ...(stock != null ? { stock } : {}) };
    const composed = step.factory?.(base);
    const fallback = composed ?? stock;
    const config = step.native != null ? step.native({ ...base, ...(fallback != null ? { fallback } : {}) }) : composed!;
    if (current != null) tf.unregisterKernel(step.kernelName, step.backendName);
    tf.registerKernel(config);
    const mode = stock != null ? 'replaced' : 'added';
    const native = step.native != null;
    holders.set(key, { count: 1, mode, native, ...(stock != null ? { stock } : {}) });
    held.push(key);
    kernels.push({ kernelName: step.kernelName, backendName: step.backendName, mode, native });
  }

  const gradients: string[] = [];
  let releaseLayerCall: (() => void) | null = null;
  if (backends.includes('wasm')) {
    // The dilated Conv2D gradient is only reachable through the layer's unfused path.
    releaseLayerCall = holdDilatedConv2DLayerCall();
    const provider = getNativeKernelProvider();
    const nativeGradients = options.nativeKernels !== false && provider?.available === true && kernels.some((k) => k.native)
      ? [...(provider.gradients ?? [])].map(([kernelName, factory]) => ({ kernelName, factory }))
      : [];
    for (const step of [...GRADIENT_PLAN, ...nativeGradients]) {
      const current = tf.getGradient(step.kernelName);
      let holder = gradientHolders.get(step.kernelName);
      // Someone registered over ours since: start afresh from what is there now.
      if (holder != null && current !== holder.ours) holder = undefined;
      if (holder == null) {
        const ours = step.factory(current);
        if (current != null) tf.unregisterGradient(step.kernelName);
        tf.registerGradient(ours);
        holder = { count: 0, ours, ...(current != null ? { stock: current } : {}) };
        gradientHolders.set(step.kernelName, holder);
      }
      holder.count++;
      gradients.push(step.kernelName);
    }
  }

  let released = false;
  return {
    kernels,
    gradients,
    skipped,
    unregister(): void {
      if (released) return;
      released = true;
      for (const key of held) release(key);
      for (const name of gradients) releaseGradient(name);
      releaseLayerCall?.();
    },
  };
}

/**
 * The backend's own kernel function for `kernelName`, even while a training kernel replaces it;
 * undefined when the backend has none. Reference implementations for tests and benchmarks.
 */
export function stockKernel(kernelName: string, backendName: string): tf.KernelConfig | undefined {
  const current = tf.getKernel(kernelName, backendName);
  if (!isTrainingKernelConfig(current)) return current;
  return current.stock;
}

function release(key: string): void {
  const holder = holders.get(key);
  if (holder == null) return;
  holder.count--;
  if (holder.count > 0) return;
  holders.delete(key);
  const [backendName, kernelName] = key.split('/') as [string, string];
  // Someone else may have registered over us since; their kernel stays.
  if (!isTrainingKernelConfig(tf.getKernel(kernelName, backendName))) return;
  tf.unregisterKernel(kernelName, backendName);
  if (holder.stock != null) tf.registerKernel(holder.stock);
}

function releaseGradient(kernelName: string): void {
  const holder = gradientHolders.get(kernelName);
  if (holder == null) return;
  holder.count--;
  if (holder.count > 0) return;
  gradientHolders.delete(kernelName);
  if (tf.getGradient(kernelName) !== holder.ours) return;
  tf.unregisterGradient(kernelName);
  if (holder.stock != null) tf.registerGradient(holder.stock);
}

interface PlanStep { kernelName: string; backendName: TrainingKernelBackend; factory?: Factory; native?: NativeKernelFactory; fillsGap: boolean }

/**
 * The plan for these backends: the composed kernels, with the native factory attached where one is
 * loaded, plus the native kernels that have no composed counterpart (they replace a stock kernel,
 * or add one of collabopt's own ops).
 */
function planFor(
  backends: readonly TrainingKernelBackend[],
  useNative: boolean,
): PlanStep[] {
  const provider = getNativeKernelProvider();
  const native = useNative && provider?.available === true && backends.includes('wasm') ? provider.kernels : new Map<string, NativeKernelFactory>();
  const plan: PlanStep[] = PLAN.filter((step) => backends.includes(step.backendName)).map((step) => {
    const factory = step.backendName === 'wasm' ? native.get(step.kernelName) : undefined;
    return factory != null ? { ...step, native: factory } : { ...step };
  });
  for (const [kernelName, factory] of native) {
    if (!PLAN.some((step) => step.backendName === 'wasm' && step.kernelName === kernelName)) {
      plan.push({ kernelName, backendName: 'wasm', native: factory, fillsGap: COLLABOPT_KERNEL_NAMES.has(kernelName) });
    }
  }
  return plan;
}

function pick(step: { kernelName: string; backendName: string }): { kernelName: string; backendName: string } {
  return { kernelName: step.kernelName, backendName: step.backendName };
}
