import { SessionError } from '@collabopt/core';
import { expect } from 'chai';
import { deflateSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { sizeReport } from '../../../../plugins/src/export/sizeReport';
import { measureDeflate } from '../../../../plugins/src/export/tfjs/measureDeflate';
import { tfjsModelFiles } from '../../../../plugins/src/export/tfjs/tfjsModelFiles';
import { fakeQuantWeightsSymmetric } from '../../../../plugins/src/quantization/fakeQuantWeightsSymmetric';
import { detValues } from '../../../helpers/models';
import { exportModel } from './helpers';

const decoder = new TextDecoder();

interface ModelJson {
  format: string;
  generatedBy: string;
  convertedBy: string;
  modelTopology: { class_name: string };
  trainingConfig?: unknown;
  weightsManifest: {
    paths: string[];
    weights: { name: string; shape: number[]; dtype: string; group?: string; quantization?: Record<string, unknown> }[];
  }[];
}

function modelJsonOf(files: Map<string, Uint8Array>): ModelJson {
  return JSON.parse(decoder.decode(files.get('model.json')));
}

/** A layer with a non-trainable int32 weight (a counter), to check that int32 is never quantized. */
class WithCounter extends tf.layers.Layer {
  static className = 'WithCounter';
  override build(): void {
    this.addWeight('counter', [5], 'int32', tf.initializers.constant({ value: 7 }), undefined, false);
    this.built = true;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return Array.isArray(inputs) ? inputs[0] : inputs;
  }
}

describe('export/tfjs: tfjsModelFiles (browser-safe, in memory)', () => {
  it('measures deflate through CompressionStream exactly as zlib level 6 does', async () => {
    const model = exportModel();
    const { files } = await tfjsModelFiles(model, { quantization: 'uint8' });
    const samples = [
      new Uint8Array(0),
      new Uint8Array(100_000),
      new Uint8Array(new Float32Array(detValues(50_000, 3)).buffer),
      ...files.values(),
    ];
    for (const bytes of samples) {
      const viaStream = await measureDeflate(bytes);
      expect(viaStream).to.deep.equal(sizeReport(bytes));
      expect(viaStream.deflated).to.equal(deflateSync(bytes, { level: 6 }).byteLength);
    }
    model.dispose();
  });

  it('the default (CompressionStream) and the Node measure (sizeReport) give the same report', async () => {
    const model = exportModel();
    const a = await tfjsModelFiles(model, { quantization: 'float16', shardSizeBytes: 500 });
    const b = await tfjsModelFiles(model, { quantization: 'float16', shardSizeBytes: 500 }, sizeReport);
    expect(a.report).to.deep.equal(b.report);
    expect([...a.files.keys()]).to.deep.equal([...b.files.keys()]);
    model.dispose();
  });

  it('writes the converter’s manifest: quantization {dtype, min, scale} or {dtype: float16}, float32 only, int32 untouched', async () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [4], units: 3, name: 'd' }), new WithCounter({ name: 'counter_layer' })],
    });
    for (const quantization of ['none', 'uint8', 'uint16', 'float16'] as const) {
      const { files, report } = await tfjsModelFiles(model, { quantization });
      const json = modelJsonOf(files);
      expect(json.format).to.equal('layers-model');
      expect(json.convertedBy).to.equal('collabopt tfjs exporter');
      expect(json.generatedBy).to.match(/^TensorFlow\.js tfjs-layers v/);
      expect(json.weightsManifest).to.have.length(1);
      const [kernel, bias, counter] = json.weightsManifest[0].weights;
      expect([kernel.name, bias.name, counter.name]).to.deep.equal(['d/kernel', 'd/bias', 'counter_layer/counter']);
      expect(counter).to.deep.equal({ name: 'counter_layer/counter', shape: [5], dtype: 'int32' });
      for (const w of [kernel, bias]) {
        expect(w.dtype).to.equal('float32');
        if (quantization === 'none') expect(w).to.not.have.property('quantization');
        else if (quantization === 'float16') expect(w.quantization).to.deep.equal({ dtype: 'float16', original_dtype: 'float32' });
        else {
          expect(w.quantization).to.have.all.keys('dtype', 'min', 'scale', 'original_dtype');
          expect(w.quantization!.dtype).to.equal(quantization);
        }
      }
      const width = { none: 4, uint8: 1, uint16: 2, float16: 2 }[quantization];
      expect(report.weights.map((w) => [w.name, w.storedAs, w.bytes])).to.deep.equal([
        ['d/kernel', quantization === 'none' ? 'float32' : quantization, 12 * width],
        ['d/bias', quantization === 'none' ? 'float32' : quantization, 3 * width],
        ['counter_layer/counter', 'int32', 20],
      ]);
      const counterReport = report.weights[2];
      expect(counterReport.exported).to.deep.equal({ size: 5, sparsity: 0, distinct: 1 });
      expect(counterReport.maxAbsError).to.equal(0);
      const weightBytes = report.weights.reduce((n, w) => n + w.bytes, 0);
      expect(files.get('group1-shard1of1.bin')!.byteLength).to.equal(weightBytes);
    }
    model.dispose();
  });

  it('leaves the optimizer’s slots and the training config out of a compiled, trained model', async () => {
    const model = exportModel();
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    const xs = tf.randomUniform([4, 6, 6, 2], -1, 1, 'float32', 5);
    const ys = tf.randomUniform([4, 3], -1, 1, 'float32', 6);
    await model.fit(xs, ys, { epochs: 1, verbose: 0 });
    const { files } = await tfjsModelFiles(model);
    const json = modelJsonOf(files);
    expect(json).to.not.have.property('trainingConfig');
    expect(json.weightsManifest[0].weights.map((w) => w.name)).to.deep.equal(model.weights.map((w) => w.originalName));
    expect(json.weightsManifest[0].weights.every((w) => w.group === undefined)).to.equal(true);
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it('reports per layer: sparsity and distinct values before and after dequantization, per output channel', async () => {
    const model = exportModel();
    // d1's kernel on a per-tensor int8 grid, as quantization-aware training leaves it (zeros kept).
    const d1 = model.getLayer('d1');
    const [kernel, bias] = d1.getWeights();
    const onGrid = fakeQuantWeightsSymmetric(kernel);
    d1.setWeights([onGrid, bias]);
    onGrid.dispose();
    const { report } = await tfjsModelFiles(model, { quantization: 'uint8' });
    const byName = new Map(report.weights.map((w) => [w.name, w]));
    expect(report.weights.map((w) => w.layer)).to.deep.equal(['conv', 'conv', 'dw', 'dw', 'd1', 'd1', 'd2', 'd2']);

    const q = byName.get('d1/kernel')!;
    expect([q.grid, q.maxAbsError]).to.deep.equal(['exact', 0]);
    expect(q.exported).to.deep.equal(q.original);
    expect(q.original.distinct).to.be.at.most(255);

    const conv = byName.get('conv/kernel')!;
    expect(conv.grid).to.equal('range');
    expect(conv.maxAbsError).to.be.greaterThan(0).and.at.most(conv.step! / 2 + 1e-7);
    expect(conv.original.sparsity).to.be.closeTo(1 / 3, 0.02);
    expect(conv.exported.sparsity).to.be.at.least(conv.original.sparsity);
    // Per output channel (element i in channel i % channels): conv [3,3,2,4] → 4 channels of 18
    // elements, 6 of them pruned (i % 3 == 0) → 12 values + 0; depthwise [3,3,4,2] → 4·2 channels
    // of 9 elements, 3 pruned → 6 values + 0. Per tensor they would be 48 + 1.
    expect(conv.original.distinctPerChannel).to.equal(13);
    expect(conv.original.distinct).to.equal(49);
    expect(byName.get('dw/depthwise_kernel')!.original.distinctPerChannel).to.equal(7);
    expect(byName.get('d1/bias')!.original).to.not.have.property('distinctPerChannel');
    model.dispose();
  });

  it('refuses weights of the same name (nested models with same-named layers), which tfjs would load wrongly', async () => {
    const a = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 2, name: 'same' })] });
    const b = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 2, name: 'same' })] });
    const input = tf.input({ shape: [2] });
    const model = tf.model({ inputs: input, outputs: b.apply(a.apply(input)) as tf.SymbolicTensor });
    let error: Error | undefined;
    await tfjsModelFiles(model).catch((e: Error) => (error = e));
    // Core refuses such models for every use (their weight ids would be ambiguous in state too).
    expect(error).to.be.instanceOf(SessionError);
    expect(error!.message).to.contain("two weights with id 'same/kernel'").and.contain('unique names');
    model.dispose();
  });

  it('holds no tensors after it returns, whatever the quantization', async () => {
    const model = exportModel();
    await tfjsModelFiles(model);
    const before = tf.memory().numTensors;
    for (const quantization of ['none', 'uint8', 'uint16', 'float16'] as const) await tfjsModelFiles(model, { quantization });
    expect(tf.memory().numTensors).to.equal(before);
    model.dispose();
  });
});
