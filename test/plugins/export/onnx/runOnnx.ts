/** Runs ONNX bytes in onnxruntime-node (graph optimizations on, as deployments load them). */
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';

/** Runs the file on whole batches (`xs`, one tensor per model input) and returns each output's data. */
export async function runOnnx(bytes: Uint8Array, xs: readonly tf.Tensor[]): Promise<Float32Array[]> {
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all' });
  try {
    const feeds: Record<string, ort.Tensor> = {};
    session.inputNames.forEach((name, i) => {
      feeds[name] = new ort.Tensor('float32', xs[i]!.dataSync() as Float32Array, xs[i]!.shape);
    });
    const out = await session.run(feeds);
    return session.outputNames.map((name) => out[name]!.data as Float32Array);
  } finally {
    await session.release();
  }
}

/** tfjs predict on whole batches, one Float32Array per output. */
export function predictAll(model: tf.LayersModel, xs: readonly tf.Tensor[]): Float32Array[] {
  return tf.tidy(() => {
    const out = model.predict(xs.length === 1 ? xs[0]! : [...xs]);
    return (Array.isArray(out) ? out : [out]).map((o) => o.dataSync() as Float32Array);
  });
}

/** Largest |a − b| over the elements, relative to the largest |b| (1 when b is all zeros). */
export function maxRelativeError(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let scale = 0;
  let err = 0;
  for (let i = 0; i < b.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]!));
    err = Math.max(err, Math.abs(a[i]! - b[i]!));
  }
  return err / (scale || 1);
}
