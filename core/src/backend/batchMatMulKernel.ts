/**
 * `BatchMatMul` for the wasm backend, for the transposed products of training.
 *
 * Why this exists: tfjs-backend-wasm's BatchMatMul takes XNNPACK's fully-connected path only for
 * plain products (no transpose); with `transposeA` or `transposeB` it runs a scalar loop. The
 * backward pass of every Dense layer is exactly those two products (dx = dy·Wᵀ, dW = xᵀ·dy): on
 * the mnist-node CNN they took ~75 ms of a ~200 ms step (dx 79 ms vs 3.5 ms on the fast path for
 * the 32×512 · 512×1024 product, measured).
 *
 * How: materialise the transposes (a memory-bound copy) and call the stock kernel untransposed,
 * choosing between C = op(A)·op(B) and C = (op(B)ᵀ·op(A)ᵀ)ᵀ so that XNNPACK packs the smaller
 * operand (it repacks its right-hand side on every call: 512×1024 for dx, 512×32 after the swap).
 * Plain products and real batches (batch > 1) stay with the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { runCompositeKernel } from './runCompositeKernel';
import { trainingKernelConfig, type TrainingKernelConfig, type TrainingKernelOptions } from './TrainingKernelConfig';

/** Makes the `BatchMatMul` kernel config; it delegates to `options.stock` where that is fast. */
export function batchMatMulKernel(options: TrainingKernelOptions): TrainingKernelConfig {
  const { stock } = options;
  const kernelFunc: tf.KernelFunc = (args) => {
    const { inputs, backend } = args;
    const a = inputs['a']!;
    const b = inputs['b']!;
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    const batchOf = (info: tf.TensorInfo) => info.shape.slice(0, -2).reduce((p, d) => p * d, 1);
    const plain = !transposeA && !transposeB;
    const twoD = a.shape.length === 2 && b.shape.length === 2;
    if (stock != null && (plain || !twoD || batchOf(a) !== 1 || batchOf(b) !== 1 || a.dtype !== 'float32' || b.dtype !== 'float32')) {
      return stock.kernelFunc(args);
    }
    return runCompositeKernel(tf.BatchMatMul, backend as tf.KernelBackend, [a, b], (at, bt) => {
      const m = transposeA ? at.shape[1]! : at.shape[0]!;
      const n = transposeB ? bt.shape[0]! : bt.shape[1]!;
      // op(A)·op(B) packs op(B) (k×n); the swapped form packs op(A)ᵀ (k×m).
      if (n <= m) {
        const left = transposeA ? tf.transpose(at) : at;
        const right = transposeB ? tf.transpose(bt) : bt;
        return tf.matMul(left as tf.Tensor2D, right as tf.Tensor2D);
      }
      const left = transposeB ? bt : tf.transpose(bt); // op(B)ᵀ
      const right = transposeA ? at : tf.transpose(at); // op(A)ᵀ
      return tf.transpose(tf.matMul(left as tf.Tensor2D, right as tf.Tensor2D));
    });
  };
  return trainingKernelConfig(tf.BatchMatMul, options, kernelFunc);
}
