/**
 * The plumbing every native kernel shares: reading tensors' places in the wasm heap, allocating
 * the output there and calling the addon on it, or handing the call to the fallback kernel.
 *
 * Why this exists: the native kernels are registered on the wasm backend and compute in place on
 * its heap (no copy in or out). That needs tfjs-backend-wasm internals — `dataIdMap` offsets,
 * `makeOutput`, `wasm.HEAPU8` — and care: allocating the output may grow the memory, which
 * replaces the heap's ArrayBuffer, so the buffer is read only after the output exists; a throwing
 * call must not leak the output. Those details live here once.
 */
import * as tf from '@tensorflow/tfjs';
import { BackendError } from '../BackendError';
import type { NativeKernelOptions } from '../nativeKernelProvider';
import { trainingKernelConfig, type TrainingKernelConfig } from '../TrainingKernelConfig';
import type { ConvGeometry } from './NativeAddon';

/** The tfjs-backend-wasm internals the native kernels use. */
interface WasmBackendInternals {
  readonly dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } | undefined };
  readonly wasm: { readonly HEAPU8: Uint8Array };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

/**
 * The native computation of one call. `run` gets the heap and the byte offsets of `inputs` (in
 * that order) and of the output.
 */
export interface NativePlan {
  /** The tensors the addon reads. */
  readonly inputs: readonly tf.TensorInfo[];
  /** The output's shape (float32). */
  readonly outShape: number[];
  /** Shapes of further float32 outputs, for kernels with several (returned after the first, in this order). */
  readonly extraOutShapes?: readonly number[][];
  run(heap: ArrayBuffer, inputOffsets: number[], outOffset: number, extraOutOffsets: number[]): void;
}

/**
 * Makes a native kernel config. `plan` inspects the call and returns what to compute, or
 * `undefined` where the native kernel does not apply (the fallback runs). Non-float32 inputs,
 * empty tensors and a heap that is not a plain ArrayBuffer (threaded wasm) always go to the
 * fallback. `plan` must not throw for inputs it does not take: it returns `undefined` and the
 * fallback reports them its own way.
 */
export function nativeKernelConfig(
  kernelName: string,
  options: NativeKernelOptions,
  plan: (inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap) => NativePlan | undefined,
): TrainingKernelConfig {
  const { fallback } = options;
  const kernelFunc: tf.KernelFunc = (args) => {
    const backend = args.backend as unknown as WasmBackendInternals;
    const p = backend.wasm?.HEAPU8?.buffer instanceof ArrayBuffer ? plan(args.inputs, args.attrs ?? {}) : undefined;
    const usable = p != null && tf.util.sizeFromShape(p.outShape) > 0 &&
      p.inputs.every((t) => t.dtype === 'float32' && tf.util.sizeFromShape(t.shape) > 0);
    if (!usable) {
      if (fallback == null) {
        throw new BackendError(`${kernelName}: collabopt's native wasm kernel cannot take these inputs and the backend has no kernel of its own to hand them to.`);
      }
      return fallback.kernelFunc(args);
    }
    const offsets = p.inputs.map((t) => offsetOf(backend, t));
    const outs: tf.TensorInfo[] = [];
    try {
      for (const shape of [p.outShape, ...(p.extraOutShapes ?? [])]) outs.push(backend.makeOutput(shape, 'float32'));
      // Read after makeOutput: allocating may have grown the memory and replaced the buffer.
      const [out, ...extra] = outs.map((o) => offsetOf(backend, o));
      p.run(backend.wasm.HEAPU8.buffer as ArrayBuffer, offsets, out!, extra);
    } catch (e) {
      for (const o of outs) backend.disposeData(o.dataId, true);
      throw e;
    }
    return p.extraOutShapes == null ? outs[0]! : outs;
  };
  // The stock kernel travels along (restored on unregister; its setup binds what the fallback calls).
  return trainingKernelConfig(kernelName, { backendName: options.backendName, ...(options.stock != null ? { stock: options.stock } : {}) }, kernelFunc);
}

function offsetOf(backend: WasmBackendInternals, info: tf.TensorInfo): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (data == null) throw new BackendError('collabopt native kernel: a tensor is not on the wasm backend (was it disposed?).');
  return data.memoryOffset;
}

/** The addon's 15-number geometry of a convolution or pooling window. */
export function geometryOf(info: tf.backend_util.Conv2DInfo): ConvGeometry {
  return [
    info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth, info.outChannels,
    info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth,
    info.padInfo.top, info.padInfo.left,
  ];
}

/** True when `dataFormat` (as a kernel attribute) means NHWC. */
export function isChannelsLast(dataFormat: unknown): boolean {
  return dataFormat == null || dataFormat === 'NHWC' || dataFormat === 'channelsLast';
}

/** True for absent dilations or dilations of 1 (the gradient kernels take no others). */
export function isUnitDilation(d: number | readonly number[] | undefined): boolean {
  return d == null || (typeof d === 'number' ? d === 1 : d.every((v) => v === 1));
}

/** Whether two shapes are equal (a mismatch goes to the fallback, which reports it). */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
