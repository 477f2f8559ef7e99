import * as tf from '@tensorflow/tfjs';
import { OptimizationState } from '@collabopt/core';
import { expect } from 'chai';
import { exportOnnx } from '../../../../../../plugins/src/export/onnx/exportOnnx';
import { exportTflite } from '../../../../../../plugins/src/export/tflite/exportTflite';
import { observeActivationRanges } from '../../../../../../plugins/src/export/tflite/observeActivationRanges';
import { mergePartialRangeKey } from '../../../../../../plugins/src/common/mergePartialRangeKey';
import { lowerModel } from '../../../../../../plugins/src/export/tflite/lowering/lowerModel';
import { readTflite } from '../../../../../../plugins/src/export/tflite/read/readTflite';
import { maxRelativeError, predictAll, runOnnx } from '../../../onnx/runOnnx';
import { compareWithTflite } from '../../compareWithTflite';
import { inputsFor, randomize } from '../../fixtures';

type Sym = tf.SymbolicTensor;

/** One layer class or activation on a conv's output (8x8x4), then a dense head. */
const CASES: Record<string, { build: (x: Sym) => Sym; ops: string[] }> = {
  LeakyReLU: { build: (x) => tf.layers.leakyReLU({ alpha: 0.2, name: 'leaky' }).apply(x) as Sym, ops: ['LEAKY_RELU'] },
  PReLU: { build: (x) => tf.layers.prelu({ name: 'prelu' }).apply(x) as Sym, ops: ['PRELU'] },
  ELU: { build: (x) => tf.layers.elu({ name: 'elu' }).apply(x) as Sym, ops: ['ELU'] },
  "Activation('gelu')": { build: (x) => tf.layers.activation({ activation: 'gelu', name: 'act' }).apply(x) as Sym, ops: ['GELU'] },
  "Activation('gelu_new')": { build: (x) => tf.layers.activation({ activation: 'gelu_new', name: 'act' }).apply(x) as Sym, ops: ['GELU'] },
  "Conv2D(activation: 'swish')": {
    build: (x) => tf.layers.conv2d({ filters: 4, kernelSize: 1, activation: 'swish', name: 'conv_swish' }).apply(x) as Sym,
    ops: ['CONV_2D', 'LOGISTIC', 'MUL'],
  },
  "Activation('hardSigmoid')": { build: (x) => tf.layers.activation({ activation: 'hardSigmoid', name: 'act' }).apply(x) as Sym, ops: ['DEPTHWISE_CONV_2D', 'MINIMUM'] },
  "Dense(activation: 'hardSigmoid') on rank-2 data": {
    build: (x) => {
      const gap = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as Sym;
      return tf.layers.dense({ units: 6, activation: 'hardSigmoid', name: 'gate' }).apply(gap) as Sym;
    },
    ops: ['MEAN', 'FULLY_CONNECTED', 'RESHAPE', 'DEPTHWISE_CONV_2D', 'RESHAPE', 'MINIMUM'],
  },
  Maximum: { build: (x) => tf.layers.maximum({ name: 'max' }).apply([x, branch(x, 'b1'), branch(x, 'b2')]) as Sym, ops: ['CONV_2D', 'CONV_2D', 'MAXIMUM', 'MAXIMUM'] },
  Minimum: { build: (x) => tf.layers.minimum({ name: 'min' }).apply([x, branch(x, 'b1')]) as Sym, ops: ['CONV_2D', 'MINIMUM'] },
  Average: { build: (x) => tf.layers.average({ name: 'avg' }).apply([x, branch(x, 'b1'), branch(x, 'b2')]) as Sym, ops: ['CONV_2D', 'CONV_2D', 'ADD', 'ADD', 'MUL'] },
};

function branch(x: Sym, name: string): Sym {
  return tf.layers.conv2d({ filters: 4, kernelSize: 1, name }).apply(x) as Sym;
}

function model(build: (x: Sym) => Sym): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 3], name: 'x' });
  const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'conv' }).apply(input) as Sym;
  let y = build(conv);
  if (y.shape.length > 2) y = tf.layers.flatten({ name: 'flatten' }).apply(y) as Sym;
  y = tf.layers.dense({ units: 5, name: 'head' }).apply(y) as Sym;
  const m = tf.model({ inputs: input, outputs: y });
  randomize(m, 2);
  return m;
}

describe('activation and merge lowerings (LeakyReLU, PReLU, ELU, gelu, swish, hardSigmoid, Maximum, Minimum, Average)', function () {
  this.timeout(120_000);

  for (const [name, { build, ops }] of Object.entries(CASES)) {
    it(`${name}: ${ops.join(' + ')}; float32, float16 and dynamic-range files in TFLite 2.9 and the float32 ONNX file compute what tfjs computes`, async () => {
      const m = model(build);
      const [xs] = inputsFor(m, 6);
      try {
        const graph = lowerModel(m, 1);
        // Without the first conv and the head (FULLY_CONNECTED, after a RESHAPE when the case's output is flattened).
        const codes = graph.ops.map((o) => o.code);
        const head = m.layers.some((l) => l.getClassName() === 'Flatten') ? 2 : 1;
        expect(codes.slice(1, codes.length - head)).to.deep.equal(ops);
        const reference = predictAll(m, [xs!])[0]!;
        const rows = Array.from({ length: 6 }, (_, i) => [reference.slice(i * 5, (i + 1) * 5)]);
        // float16 stores weights in half precision, dynamic-range in int8: tolerances of those storages.
        for (const [mode, tolerance] of [['float32', 1e-5], ['float16', 3e-3], ['dynamic-range', 5e-2]] as const) {
          const { bytes } = await exportTflite(m, { mode });
          const c = await compareWithTflite(bytes, [xs!], rows);
          expect(c.maxAbsError / c.maxAbsReference, mode).to.be.below(tolerance);
        }
        const onnx = exportOnnx(m, { mode: 'float32' });
        expect(maxRelativeError((await runOnnx(onnx.bytes, [xs!]))[0]!, reference), 'ONNX').to.be.below(1e-5);
      } finally {
        tf.dispose(xs!);
        m.dispose();
      }
    });
  }

  it('int8: LEAKY_RELU becomes MUL by alpha + MAXIMUM; MAXIMUM/MINIMUM inputs and constants share the output grid; hardSigmoid writes onto [0, 1) in 1/256', async () => {
    const input = tf.input({ shape: [8, 8, 3], name: 'x' });
    const conv = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'conv' }).apply(input) as Sym;
    const leaky = tf.layers.leakyReLU({ alpha: 0.3, name: 'leaky' }).apply(conv) as Sym;
    const hs = tf.layers.activation({ activation: 'hardSigmoid', name: 'hs' }).apply(leaky) as Sym;
    const m = tf.model({ inputs: input, outputs: hs });
    randomize(m, 4);
    const [xs] = inputsFor(m, 16);
    const state = new OptimizationState();
    await observeActivationRanges(m, xs!, { state });
    const { bytes } = await exportTflite(m, { mode: 'int8' }, state);
    const file = readTflite(bytes);
    const codes = file.operators.map((o) => o.opcode);
    expect(codes).to.include.members(['MUL', 'MAXIMUM', 'DEPTHWISE_CONV_2D', 'MINIMUM']);
    expect(codes).to.not.include('LEAKY_RELU');
    for (const op of file.operators.filter((o) => o.opcode === 'MAXIMUM' || o.opcode === 'MINIMUM')) {
      const q = [...op.inputs, ...op.outputs].map((i) => file.tensors[i]!.quantization!);
      for (const x of q) expect([x.scales[0], Number(x.zeroPoints[0])]).to.deep.equal([q[q.length - 1]!.scales[0], Number(q[q.length - 1]!.zeroPoints[0])]);
    }
    const minimum = file.operators.find((o) => o.opcode === 'MINIMUM')!;
    const q = file.tensors[minimum.outputs[0]!]!.quantization!;
    expect([q.scales[0], Number(q.zeroPoints[0])]).to.deep.equal([1 / 256, -128]);
    state.dispose();
    tf.dispose(xs!);
    m.dispose();
  });

  it("int8: a 3-input Average's partial sum takes its recorded range (mergePartialRangeKey), else is bounded and noted", async () => {
    const m = model((x) => tf.layers.average({ name: 'avg' }).apply([x, branch(x, 'b1'), branch(x, 'b2')]) as Sym);
    const [xs] = inputsFor(m, 16);
    const state = new OptimizationState();
    try {
      await observeActivationRanges(m, xs!, { state });
      expect(state.activationRanges.has(mergePartialRangeKey('avg', 1))).to.equal(true);
      const recorded = await exportTflite(m, { mode: 'int8' }, state);
      expect(recorded.report.notes.join('\n')).to.not.match(/partial sum/);
      state.activationRanges.delete(mergePartialRangeKey('avg', 1));
      const bounded = await exportTflite(m, { mode: 'int8' }, state);
      expect(bounded.report.notes.join('\n')).to.match(/partial sum 1 of 'avg', 3 inputs\): range 'avg:partial1' not in the state, bounded/);
    } finally {
      state.dispose();
      tf.dispose(xs!);
      m.dispose();
    }
  });
});
