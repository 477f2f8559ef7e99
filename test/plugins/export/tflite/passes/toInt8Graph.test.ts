import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { OptimizationState } from '@collabopt/core';
import { exportTflite } from '../../../../../plugins/src/export/tflite/exportTflite';
import { observeActivationRanges } from '../../../../../plugins/src/export/tflite/observeActivationRanges';
import { readTflite } from '../../../../../plugins/src/export/tflite/read/readTflite';
import { loadTflite } from '../../../../../recipes/src/runner/loadTflite';
import { inputsFor, randomize } from '../fixtures';

/** Exports `model` int8 with calibrated ranges; the file's operators and its outputs on `xs`. */
async function int8File(model: tf.LayersModel, xs: tf.Tensor) {
  const state = new OptimizationState();
  await observeActivationRanges(model, xs, { state });
  const { bytes } = await exportTflite(model, { mode: 'int8' }, state);
  state.dispose();
  const file = readTflite(bytes);
  const interpreter = await loadTflite(bytes);
  const [out] = interpreter.run([xs.dataSync() as Float32Array]);
  return { ops: file.operators.map((o) => o.opcode), out: out!.data as Float32Array, outScale: outputScale(file) };
}

function outputScale(file: ReturnType<typeof readTflite>): number {
  const dq = file.operators.find((o) => o.opcode === 'DEQUANTIZE' && o.outputs.includes(file.outputs[0]!))!;
  return file.tensors[dq.inputs[0]!]!.quantization!.scales[0]!;
}

function maxSteps(out: Float32Array, ref: tf.Tensor, step: number): number {
  const r = ref.dataSync();
  let m = 0;
  for (let i = 0; i < r.length; i++) m = Math.max(m, Math.abs(out[i]! - r[i]!) / step);
  return m;
}

describe('toInt8Graph: one rounding where training rounds once', () => {
  it('a VALID average pooling with its own range is a 1/N depthwise convolution onto it; SAME keeps AVERAGE_POOL_2D', async () => {
    for (const padding of ['valid', 'same'] as const) {
      const input = tf.input({ shape: [6, 6, 3] });
      const c = tf.layers.conv2d({ filters: 3, kernelSize: 1, name: 'c' }).apply(input) as tf.SymbolicTensor;
      const avg = tf.layers.averagePooling2d({ poolSize: 2, padding, name: 'avg' }).apply(c) as tf.SymbolicTensor;
      const model = tf.model({ inputs: input, outputs: avg });
      randomize(model, 3);
      const [xs] = inputsFor(model, 1, 4);
      const { ops, out, outScale } = await int8File(model, xs!);
      if (padding === 'valid') {
        expect(ops).to.deep.equal(['QUANTIZE', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'DEQUANTIZE']);
        // The float average, rounded once onto the layer's grid (plus the conv's own rounding).
        const ref = model.predict(xs!) as tf.Tensor;
        expect(maxSteps(out, ref, outScale)).to.be.at.most(1.5);
        ref.dispose();
      } else {
        expect(ops).to.include('AVERAGE_POOL_2D');
      }
      tf.dispose(xs!);
      model.dispose();
    }
  });

  it('a standalone BatchNormalization on rank-4 data is a 1x1 depthwise convolution (exact per-channel multiplier)', async () => {
    const input = tf.input({ shape: [6, 6, 3] });
    const pool = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool' }).apply(input) as tf.SymbolicTensor;
    const bn = tf.layers.batchNormalization({ name: 'bn' }).apply(pool) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: bn });
    randomize(model, 5);
    const [xs] = inputsFor(model, 1, 6);
    const { ops, out, outScale } = await int8File(model, xs!);
    expect(ops).to.deep.equal(['QUANTIZE', 'MAX_POOL_2D', 'DEPTHWISE_CONV_2D', 'DEQUANTIZE']);
    const ref = model.predict(xs!) as tf.Tensor;
    // Input rounding (one input step times |m|) plus the output's: MUL/ADD with one int8 scale for
    // all multipliers was several steps off.
    expect(maxSteps(out, ref, outScale)).to.be.at.most(2);
    tf.dispose([xs!, ref]);
    model.dispose();
  });
});
