import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { OptimizationState } from '@collabopt/core';
import { exportTflite } from '../../../../../plugins/src/export/tflite/exportTflite';
import { formatTfliteInspection } from '../../../../../plugins/src/export/tflite/read/formatTfliteInspection';
import { inspectTflite } from '../../../../../plugins/src/export/tflite/read/inspectTflite';
import { inspectTfliteFile } from '../../../../../plugins/src/export/tflite/read/inspectTfliteFile';
import { observeActivationRanges } from '../../../../../plugins/src/export/tflite/observeActivationRanges';
import { writeTflite } from '../../../../../plugins/src/export/tflite/writeTflite';
import { expectRunsInTflite } from '../compareWithTflite';
import { inputsFor, sequentialCnn } from '../fixtures';

describe('inspectTflite: what a .tflite file holds', () => {
  let model: tf.LayersModel;
  const state = new OptimizationState();
  let dir: string;
  before(async () => {
    model = sequentialCnn();
    const xs = inputsFor(model, 16);
    await observeActivationRanges(model, xs, { state });
    tf.dispose(xs);
    dir = mkdtempSync(join(tmpdir(), 'tflite-inspect-'));
  });
  after(() => {
    model.dispose();
    state.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists operators with versions and options, tensors with types and quantization, and per-kernel statistics', async () => {
    const { bytes, report } = await exportTflite(model, { mode: 'int8' }, state);
    await expectRunsInTflite(bytes);
    const inspection = inspectTflite(bytes);
    expect(inspection.bytes).to.equal(bytes.byteLength);
    expect(inspection.schemaVersion).to.equal(3);
    expect(inspection.description).to.equal('collabopt');
    const ops = inspection.operators.map((o) => `${o.opcode} v${o.version}`);
    expect(ops[0]).to.equal('QUANTIZE v1');
    expect(ops[ops.length - 1]).to.equal('DEQUANTIZE v2');
    const conv = inspection.operators.find((o) => o.opcode === 'CONV_2D')!;
    expect(conv.version).to.equal(3);
    expect(conv.inputs).to.deep.equal(['c1_input/int8', 'c1/kernel', 'c1/bias']);
    expect(conv.options).to.deep.equal({ padding: 'SAME', stride: [1, 1], dilation: [1, 1], activation: 'RELU' });
    const kernel = inspection.tensors.find((t) => t.name === 'c1/kernel')!;
    expect(kernel.type).to.equal('int8');
    expect(kernel.shape).to.deep.equal([6, 3, 3, 3]);
    expect(kernel.bytes).to.equal(162);
    expect(kernel.quantization!.scales.length).to.equal(6);
    expect(kernel.quantization!.dimension).to.equal(0);
    expect(inspection.tensors.find((t) => t.name === 'c1/bias')!.type).to.equal('int32');
    expect(inspection.inputs[0]).to.include({ name: 'c1_input', type: 'float32' });
    // The statistics of the stored values equal the exporter's own (computed independently).
    // The inspection also lists the kernel the exporter made for the average pooling (its 1/N
    // taps, no model weight); the report lists model weights only.
    const modelKernels = inspection.weights.map((w) => w.tensor).filter((t) => t !== 'avg1/average_taps');
    expect(modelKernels.length).to.equal(inspection.weights.length - 1);
    expect(modelKernels.sort()).to.deep.equal(report.weights.map((w) => w.tensor).sort());
    for (const w of inspection.weights.filter((x) => x.tensor !== 'avg1/average_taps')) {
      const r = report.weights.find((x) => x.tensor === w.tensor)!;
      expect({ size: w.size, sparsity: w.sparsity, distinct: w.distinct, perChannel: w.distinctPerChannel }, w.tensor).to.deep.equal({
        size: r.size,
        sparsity: r.sparsity,
        distinct: r.distinct,
        perChannel: r.distinctPerChannel,
      });
    }
  });

  it('finds float16 kernels behind their DEQUANTIZE and counts distinct stored values', async () => {
    const { bytes } = await exportTflite(model, { mode: 'float16' });
    await expectRunsInTflite(bytes);
    const inspection = inspectTflite(bytes);
    const probs = inspection.weights.find((w) => w.tensor === 'probs/kernel')!;
    expect(probs.type).to.equal('float16');
    expect(probs.usedBy).to.match(/^FULLY_CONNECTED #\d+$/);
    expect(probs.size).to.equal(5 * 4);
    expect(probs.distinct).to.be.at.most(20);
  });

  it('inspectTfliteFile adds the sizes in the seed\'s form; the text report prints it all', async () => {
    const path = join(dir, 'cnn.tflite');
    const written = await writeTflite(model, path, { mode: 'int8' }, state);
    await expectRunsInTflite(new Uint8Array(readFileSync(path)));
    const inspection = await inspectTfliteFile(path);
    expect(inspection.size.raw).to.equal(written.report.bytes);
    expect(inspection.size.deflated).to.equal(deflateSync(readFileSync(path), { level: 6 }).byteLength);
    expect(inspection.compression).to.equal(written.report.compression);
    const text = formatTfliteInspection(inspection);
    expect(text).to.include(`size: ${inspection.compression}`);
    expect(text).to.match(/operators \(\d+\):\n  #0 QUANTIZE v1: c1_input → c1_input\/int8/);
    expect(text).to.match(/#\d+ CONV_2D v3: c1_input\/int8, c1\/kernel, c1\/bias → relu1 padding=SAME stride=1x1 dilation=1x1 activation=RELU/); // fused: writes the ReLU layer's tensor
    expect(text).to.match(/c1\/kernel int8\[6, 3, 3, 3\] const 162 B 6 scales along dim 0/);
    expect(text).to.match(/\n\s+tensor\s+type\s+shape\s+size\s+sparsity\s+distinct\s+distinct\/channel\n/);
    expect(text).to.match(/\n\s+probs\/kernel\s+int8\s+\[4, 5\]\s+20\s+\d+\.\d\d%\s+\d+\s+\d+/);
    expect(formatTfliteInspection(inspection, { tensors: false })).not.to.include('tensors (');
  });
});
