/**
 * Runs a kernel body written with public tf ops and hands its result back to the engine as a
 * TensorInfo the backend owns.
 *
 * Why this exists: collabopt's training kernels are compositions of ops the backend already has
 * (transpose, pad, conv2d, depthwiseConv2d, …). A kernel receives bare TensorInfos and must return
 * a TensorInfo; every intermediate must be freed and the result must survive the disposal of the
 * Tensor object that produced it. The refcount dance below is the one place that gets this right.
 */
import * as tf from '@tensorflow/tfjs';
import { BackendError } from './BackendError';

/**
 * Computes `body` on the active backend and returns its result as a TensorInfo with one engine
 * reference, ready to be returned from a kernel function.
 *
 * Inputs are wrapped as Tensors that hold an extra backend reference (so disposing the wrappers in
 * the `tidy` leaves the caller's data alone); the result gets an extra reference before its
 * wrapper is disposed, so its data outlives the wrapper and is owned by the engine's output
 * tensor. Net effect on the backend: exactly one new data id, the output.
 *
 * @param kernelName - used in error messages.
 * @param backend - the backend the kernel was invoked for; it must be the active one, because the
 *   body's ops run on the active backend.
 * @param inputs - the kernel's input TensorInfos, in the order `body` receives them.
 * @param body - pure tf-op computation; runs inside `tf.tidy`.
 */
export function runCompositeKernel(
  kernelName: string,
  backend: tf.KernelBackend,
  inputs: readonly tf.TensorInfo[],
  body: (...tensors: tf.Tensor[]) => tf.Tensor,
): tf.TensorInfo {
  const engine = tf.engine();
  if (engine.backend !== backend) {
    throw new BackendError(
      `${kernelName}: collabopt's training kernel was invoked for a backend that is not the active ` +
        `one (active: '${engine.backendName}'). It composes tf ops, which run on the active backend; ` +
        `run it through tf.engine().runKernel or a tf op while that backend is active.`,
    );
  }
  const result = tf.tidy(() => {
    const wrapped = inputs.map((info) => {
      backend.incRef(info.dataId);
      return engine.makeTensorFromTensorInfo(info, backend);
    });
    return body(...wrapped);
  });
  backend.incRef(result.dataId);
  const out: tf.TensorInfo = { dataId: result.dataId, shape: result.shape.slice(), dtype: result.dtype };
  result.dispose();
  return out;
}
