/** The int8 fidelity measure (test/helpers/int8Fidelity.ts) for ONNX QDQ files in onnxruntime. */
import type * as tf from '@tensorflow/tfjs';
import { exportOnnx } from '../../../../plugins/src/export/onnx/exportOnnx';
import { readOnnx } from '../../../../plugins/src/export/onnx/read/readOnnx';
import type { FidelityResult, Int8Measure } from '../../../helpers/int8Fidelity';
import { runOnnx } from './runOnnx';

/** The scale of each output's last DequantizeLinear: one output step. */
export function onnxOutputSteps(bytes: Uint8Array): number[] {
  const file = readOnnx(bytes);
  const producer = (value: string) => file.nodes.find((n) => n.outputs.includes(value));
  return file.outputs.map((o) => {
    let node = producer(o.name);
    while (node && node.opType !== 'DequantizeLinear') node = producer(node.inputs[0]!);
    const scale = node && file.initializers.get(node.inputs[1]!);
    if (!scale || scale.stored.length !== 1) throw new Error(`output ${o.name} is not dequantized per tensor`);
    return Number(scale.stored[0]);
  });
}

/** Max |file − fake-quant| in output steps over every element of `reference` (rows of `xs`). */
export async function maxOnnxOutputSteps(bytes: Uint8Array, xs: tf.Tensor, reference: readonly Float32Array[]): Promise<FidelityResult> {
  const steps = onnxOutputSteps(bytes);
  const [out] = await runOnnx(bytes, [xs]);
  const per = out!.length / reference.length;
  let maxSteps = 0;
  reference.forEach((ref, i) => {
    for (let j = 0; j < ref.length; j++) maxSteps = Math.max(maxSteps, Math.abs(out![i * per + j]! - ref[j]!) / steps[0]!);
  });
  return { maxSteps, outputSteps: steps };
}

/** Exports QDQ int8 and measures it in onnxruntime. */
export const measureOnnxInt8: Int8Measure = async (model, state, xs, reference) => maxOnnxOutputSteps(exportOnnx(model, { mode: 'int8' }, state).bytes, xs, reference);
