/**
 * Runs every example of docs/examples on a few hundred MNIST images (wasm backend) and checks what
 * the guides claim about it, so the documentation cannot rot. The examples import the public API
 * by package name, as a user's code does; docs/examples/authoring/powerOfTwo.test.ts (the tests a
 * plugin author writes, quoted by the authoring guide) runs from here too.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { collab, selectBackend, type BackendSelection, type SparsityData } from '@collabopt/core';
import { inspectTfliteFile } from '@collabopt/plugins';
import { loadTflite } from '../../recipes/src/runner/loadTflite';
import { REPO_ROOT } from '../../docs/tools/codeBlocks';
import * as beforeScript from '../../docs/examples/existing-code/before';
import * as fit from '../../docs/examples/existing-code/fit';
import * as fitDataset from '../../docs/examples/existing-code/fitDataset';
import * as customLoop from '../../docs/examples/existing-code/customLoop';
import * as deploy from '../../docs/examples/existing-code/deploy';
import * as onnxDeploy from '../../docs/examples/onnx/deploy';
import * as traceHooks from '../../docs/examples/training-loop/traceHooks';
import * as composition from '../../docs/examples/invariants/composition';
import * as migration from '../../docs/examples/migration/tfmot';
import * as performance from '../../docs/examples/performance/selectBackend';
import '../../docs/examples/authoring/powerOfTwo.test';

const KERNELS = ['conv1', 'conv2', 'fc1', 'fc2'];

/** Fraction of exact zeros of a layer's kernel. */
function kernelSparsity(model: tf.LayersModel, layer: string): number {
  const k = model.getLayer(layer).getWeights()[0].dataSync();
  let zeros = 0;
  for (const v of k) if (v === 0) zeros++;
  return zeros / k.length;
}

/** A guide's text with runs of whitespace collapsed (messages may be wrapped there). */
function guide(name: string): string {
  return fs.readFileSync(path.join(REPO_ROOT, 'docs', 'guides', name), 'utf8').replace(/\s+/g, ' ');
}

describe('docs examples (docs/examples, wasm backend, 320 MNIST images)', function () {
  this.timeout(120_000);
  const selections: BackendSelection[] = [];
  let previous: string;
  let outDir: string;
  const small = { trainSamples: 320, testSamples: 200, epochs: 2, log: () => {} };

  before(async () => {
    previous = tf.getBackend();
    selections.push(await selectBackend({ backend: 'wasm', log: false }));
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'collabopt-docs-'));
  });
  after(async () => {
    for (const s of selections) s.releaseTrainingKernels();
    await tf.setBackend(previous);
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  it('existing-code/before.ts: the plain tfjs script trains', async () => {
    const { model } = await beforeScript.main(small);
    expect(model.layers.map((l) => l.name)).to.include.members(KERNELS);
  });

  it('existing-code/fit.ts: fit() with early stopping and the session callback prunes every kernel to exactly 50%', async () => {
    const lines: string[] = [];
    const { model, history, session, backend } = await fit.main({ ...small, log: (l) => lines.push(l) });
    selections.push(backend);
    expect(['wasm', 'tensorflow']).to.include(backend.backend);
    expect(session.finished).to.equal(true);
    for (const layer of KERNELS) expect(kernelSparsity(model, layer), layer).to.equal(0.5);
    // History has the overall and per-layer sparsity of every epoch; '2ep' ends the schedule at epoch 2.
    expect(history.history['sparsity'].at(-1)).to.equal(0.5);
    expect(history.history['sparsity/fc1'].at(-1)).to.equal(0.5);
    expect(history.history).to.have.property('val_loss');
    expect(lines[0]).to.equal(backend.summary);
    expect(lines[1]).to.equal('sparsity per epoch: 0.000, 0.500');
  });

  it('existing-code/fitDataset.ts: a generator dataset with batchesPerEpoch prunes to exactly 50%', async () => {
    const { model, session } = await fitDataset.main(small);
    expect(session.finished).to.equal(true);
    for (const layer of KERNELS) expect(kernelSparsity(model, layer), layer).to.equal(0.5);
  });

  it('existing-code/customLoop.ts: beforeStep/afterStep around optimizer.minimize prunes to exactly 50%', async () => {
    const { model, epochLogs } = await customLoop.main(small);
    // 5 batches per epoch here: the only pruning step (a multiple of 10) is the last of epoch 2.
    expect(epochLogs.map((l) => l['sparsity'])).to.deep.equal([0, 0.5]);
    for (const layer of KERNELS) expect(kernelSparsity(model, layer), layer).to.equal(0.5);
  });

  it('existing-code/deploy.ts: prune → save → load → PQAT writes an int8 TFLite file that keeps the zeros and runs in TFLite', async () => {
    const { pruned, state, artifacts, tflitePath, inspection } = await deploy.main({ ...small, outDir });
    // Stage 1 was saved with its state; stage 2 inherited the masks and kept them.
    expect(fs.existsSync(path.join(outDir, 'pruned', 'collabopt-state.json'))).to.equal(true);
    for (const layer of KERNELS) {
      const mask = state.get<SparsityData>(`${layer}/kernel`, 'sparsity')!.data.mask.dataSync();
      pruned.getLayer(layer).getWeights()[0].dataSync().forEach((v, i) => mask[i] === 0 && expect(v).to.equal(0));
    }
    expect(artifacts[0].path).to.equal(tflitePath);
    expect(artifacts[0].report?.['compression']).to.match(/^\d{1,3}(,\d{3})* → \d{1,3}(,\d{3})* \(\d+\.\d\d%\)$/);
    // The file holds int8 kernels with at least the pruned zeros.
    expect(inspection.weights.map((w) => w.type)).to.deep.equal(['int8', 'int8', 'int8', 'int8']);
    for (const w of inspection.weights) expect(w.sparsity, w.tensor).to.be.at.least(0.5);
    // A real TFLite interpreter loads it and computes class probabilities.
    const interpreter = await loadTflite(tflitePath);
    expect(interpreter.inputs[0].shape).to.deep.equal([1, 28, 28, 1]);
    const [out] = interpreter.run([new Float32Array(28 * 28).fill(0.5)]);
    expect(out.shape).to.deep.equal([1, 10]);
    expect(Array.from(out.data).reduce((a, b) => a + b, 0)).to.be.closeTo(1, 0.05);
    expect((await inspectTfliteFile(tflitePath)).bytes).to.equal(fs.statSync(tflitePath).size);
  });

  it('training-loop/traceHooks.ts: the hook trace in the guide is the one a session produces', async () => {
    const { trace } = await traceHooks.main({ log: () => {} });
    expect(trace.slice(0, 2)).to.deep.equal(["      project     out/kernel, phase 'start'", 'trainBegin']);
    expect(guide('training-loop.md')).to.include(trace.join('\n').replace(/\s+/g, ' '));
  });

  it('invariants/composition.ts: every listing order gives one order; the guide quotes the real error messages', async () => {
    const { order, errors } = await composition.main({ log: () => {} });
    expect(order[0]).to.deep.equal(['sparsityConstraint', 'cluster', 'quantize']);
    expect(order[1]).to.deep.equal(order[0]);
    const text = guide('invariants.md');
    expect(Object.keys(errors)).to.deep.equal(['inherited', 'notPreserved', 'cycle', 'requires', 'twice', 'range', 'typo', 'target', 'runtime']);
    for (const [name, message] of Object.entries(errors)) {
      const shown = message.replace(/\s+/g, ' ');
      expect(text, `${name}: ${message}`).to.include(shown);
    }
  });

  it('migration/tfmot.ts: TFMOT equivalents validate, schedules give TFMOT numbers, the PTQ file runs in TFLite', async () => {
    const { plugins, schemes, at, ptq, converted, model } = await migration.main({ outDir });
    [0.2, 0.4928, 0.725, 0.8].forEach((s, i) => expect(at[i].sparsity).to.be.closeTo(s, 1e-6));
    expect(at.map((d) => d.shouldPrune)).to.deep.equal([true, true, false, true]);
    expect(plugins.polynomial.invariants.establishes).to.deep.equal(['sparsity']);
    expect(plugins.clustering.options).to.include({ numClusters: 16, init: 'density' });
    // Each scheme composes on the model (sparsityConstraint derives masks from zeros, as TFMOT does).
    for (const scheme of Object.values(schemes)) collab(model, scheme, { onWarning: () => {} }).dispose();
    expect(ptq.state.activationRanges.size).to.be.above(0);
    const interpreter = await loadTflite(ptq.path);
    expect(interpreter.inputs[0].shape).to.deep.equal([1, 8, 8, 1]);
    for (const bytes of Object.values(converted)) expect(bytes.byteLength).to.be.above(100);
    model.dispose();
  });

  it('performance/selectBackend.ts: selectBackend reports every attempt; withTrainingBackend gives the kernels back', async () => {
    const lines: string[] = [];
    const selection = await performance.main({ log: (l) => lines.push(l) });
    selections.push(selection);
    expect(lines[0]).to.equal(selection.summary);
    expect(selection.attempts.at(-1)!.ok).to.equal(true);
    const inside = await performance.withTrainingBackend(async () => tf.getBackend());
    expect(inside).to.equal('wasm');
  });

  it('onnx/deploy.ts: writes int8 and float32 ONNX files that keep the zeros, and onnxruntime-node classifies with the int8 one', async () => {
    const lines: string[] = [];
    const { model, state, int8, float, int8Path, accuracy, fakeQuant } = await onnxDeploy.main({ ...small, outDir, log: (l) => lines.push(l) });
    expect(fs.existsSync(int8Path)).to.equal(true);
    expect(int8.report.size.raw).to.be.below(float.report.size.raw / 2);
    for (const w of int8.report.weights) {
      expect(w.verified, w.weightId).to.include('sparsity');
      expect(w.sparsity, w.weightId).to.be.at.least(0.5);
    }
    // The int8 file classifies as the session's fake-quant model does (200 test images).
    expect(Math.abs(accuracy - fakeQuant)).to.be.at.most(0.03);
    expect(lines[0]).to.match(/^int8: [\d,]+ → [\d,]+ \(\d+\.\d\d%\); float32: [\d,]+ → /);
    expect(lines.join('\n')).to.match(/onnxruntime int8 top-1: 0\.\d{4}/);
    expect(lines.join('\n')).to.match(/ONNX IR v7, opset 13/);
    state.dispose();
    model.dispose();
  });
});
