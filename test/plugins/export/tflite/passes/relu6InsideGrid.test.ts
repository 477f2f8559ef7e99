/**
 * toInt8Graph: a fused ReLU6 on a near-empty range (a dead layer of an untrained model) is written
 * so that TFLite can prepare it, and computes what the fake-quant model computes. Found on the
 * built-in mobilenet-v1 at initialisation: TFLite refused the file ("no_integer_overflow_from_quantization").
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { readTflite } from '../../../../../plugins/src/export/tflite/read/readTflite';
import { exportTflite } from '../../../../../plugins/src/export/tflite/exportTflite';
import { collab } from '@collabopt/core';
import { quantize } from '../../../../../plugins/src/quantization/QuantizePlugin';
import { maxOutputSteps } from '../../../../helpers/int8Fidelity';

/** conv → ReLU6 whose output is 1e-12 everywhere (zero kernel, tiny bias) → conv → dense. */
function deadRelu6Model(): tf.LayersModel {
  const x = tf.input({ shape: [6, 6, 2] });
  const dead = tf.layers.conv2d({ filters: 3, kernelSize: 1, name: 'dead', kernelInitializer: 'zeros', biasInitializer: tf.initializers.constant({ value: 1e-12 }) }).apply(x) as tf.SymbolicTensor;
  const r = tf.layers.reLU({ maxValue: 6, name: 'dead_relu6' }).apply(dead) as tf.SymbolicTensor;
  const live = tf.layers.conv2d({ filters: 2, kernelSize: 1, name: 'live', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }).apply(tf.layers.concatenate({ name: 'cat' }).apply([r, x]) as tf.SymbolicTensor) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 3, name: 'head', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }).apply(tf.layers.flatten().apply(live) as tf.SymbolicTensor) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: out });
}

describe('toInt8Graph: fused ReLU6 on a near-empty range', () => {
  it('is written as RELU (same integers), prepares in TFLite, and stays within one step of the fake-quant model', async () => {
    const model = deadRelu6Model();
    const xs = tf.randomUniform([8, 6, 6, 2], -1, 1, 'float32', 3);
    const session = collab(model, [quantize({ mode: 'ptq' })], { train: false, onWarning: () => {} });
    await session.calibrate(xs);
    const reference = ((model.predict(xs) as tf.Tensor).arraySync() as number[][]).map((r) => Float32Array.from(r));
    const { state } = await session.finish();
    const { bytes } = await exportTflite(model, { mode: 'int8' }, state);
    const file = readTflite(bytes);
    const dead = file.operators.find((op) => op.opcode === 'CONV_2D' && file.tensors[op.outputs[0]!]!.name.includes('dead'))!;
    expect(dead, 'the dead conv').to.not.equal(undefined);
    expect(dead.options!['activation']).to.equal('RELU');
    const r = await maxOutputSteps(bytes, xs, reference);
    expect(r.maxSteps).to.be.at.most(1 + 1e-4);
    state.dispose();
    xs.dispose();
  });
});
