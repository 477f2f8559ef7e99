/**
 * Native `BatchMatMul` for the wasm backend: every transpose combination on the addon's packed,
 * threaded SGEMM (core/native/src/gemm.cc), with no transposed copy.
 *
 * Why: a Dense layer's backward pass is two transposed products (dx = dy·Wᵀ, dW = xᵀ·dy), which
 * tfjs-backend-wasm runs as a scalar loop (the composed kernel materialises the transposes to
 * reach XNNPACK, on one thread). Batches broadcast when equal or when one side has batch 1; other
 * broadcasts and non-float32 inputs run the fallback kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeKernelFactory } from '../nativeKernelProvider';
import type { NativeAddon } from './NativeAddon';
import { nativeKernelConfig } from './nativeKernel';

/** The native `BatchMatMul` factory. */
export function nativeMatMulKernel(addon: NativeAddon): NativeKernelFactory {
  return (options) =>
    nativeKernelConfig(tf.BatchMatMul, options, (inputs, attrs) => {
      const { a, b } = inputs;
      const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
      if (a == null || b == null || a.shape.length < 2 || b.shape.length < 2) return undefined;
      const [ar, ac] = a.shape.slice(-2) as [number, number];
      const [br, bc] = b.shape.slice(-2) as [number, number];
      const m = transposeA ? ac : ar;
      const k = transposeA ? ar : ac;
      const n = transposeB ? br : bc;
      if ((transposeB ? bc : br) !== k) return undefined;
      const outerA = a.shape.slice(0, -2);
      const outerB = b.shape.slice(0, -2);
      const batchA = tf.util.sizeFromShape(outerA);
      const batchB = tf.util.sizeFromShape(outerB);
      let outer: number[];
      try {
        outer = tf.backend_util.assertAndGetBroadcastShape(outerA, outerB);
      } catch {
        return undefined;
      }
      const batch = Math.max(batchA, batchB);
      if (tf.util.sizeFromShape(outer) !== batch || (batchA !== batchB && Math.min(batchA, batchB) !== 1)) return undefined;
      return {
        inputs: [a, b],
        outShape: [...outer, m, n],
        run: (heap, [ao, bo], out) =>
          addon.batchMatMul(heap, ao!, bo!, out, batchA, batchB, m, n, k, transposeA ? 1 : 0, transposeB ? 1 : 0),
      };
    });
}
