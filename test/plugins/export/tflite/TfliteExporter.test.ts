import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collab, CompositionError, PluginOptionsError, type SparsityData } from '@collabopt/core';
import { cluster } from '../../../../plugins/src/clustering/ClusterPlugin';
import { inspectTflite } from '../../../../plugins/src/export/tflite/read/inspectTflite';
import { TfliteExportError } from '../../../../plugins/src/errors/TfliteExportError';
import { tflite } from '../../../../plugins/src/export/tflite/TfliteExporter';
import { prune } from '../../../../plugins/src/pruning/PrunePlugin';
import { sparsityConstraint } from '../../../../plugins/src/pruning/SparsityConstraintPlugin';
import { quantize } from '../../../../plugins/src/quantization/QuantizePlugin';
import { mlpData, smallMlp } from '../../../helpers/models';
import { compareWithTflite, expectRunsInTflite } from './compareWithTflite';
import { inputsFor, predictRows, sequentialCnn } from './fixtures';
import type { TfliteExportReport } from '../../../../plugins/src/export/tflite/TfliteExportReport';

const quiet = { onWarning: () => {} };
const COMPRESSION = /^\d{1,3}(,\d{3})* → \d{1,3}(,\d{3})* \(\d+\.\d\d%\)$/;

describe('tflite exporter plugin', function () {
  this.timeout(60000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tflite-plugin-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('validates its options when made, and requires int8-grid only for mode int8', () => {
    expect(() => tflite({} as never)).to.throw(PluginOptionsError, /\/path: expected a value \(required\)/);
    expect(() => tflite({ path: 'm.tflite', inputOutputType: 'int8' })).to.throw(PluginOptionsError, /\/inputOutputType: expected 'float32' unless mode is 'int8'/);
    expect(() => tflite({ path: 'm.tflite', mode: 'uint8' as never })).to.throw(PluginOptionsError, /\/mode: expected one of/);
    expect(tflite({ path: 'm.tflite', mode: 'int8' }).invariants.requires).to.deep.equal(['int8-grid']);
    for (const mode of ['float32', 'float16', 'dynamic-range'] as const) expect(tflite({ path: 'm.tflite', mode }).invariants.requires).to.deep.equal([]);
    expect(tflite({ path: 'm.tflite' }).options).to.deep.include({ mode: 'float32', inputOutputType: 'float32', batchSize: 1 });
  });

  it('an int8 export without quantization in the session is an impossible composition', () => {
    const model = smallMlp(3);
    expect(() => collab(model, [tflite({ path: join(dir, 'm.tflite'), mode: 'int8' })], quiet)).to.throw(CompositionError, /'tflite' requires invariant 'int8-grid'/);
    model.dispose();
  });

  it('rejects an unsupported model when applied, before any training', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: 'selu', name: 'e' })] });
    expect(() => collab(model, [tflite({ path: join(dir, 'm.tflite') })], quiet)).to.throw(TfliteExportError, /'e' \(Dense\): activation 'selu'/);
    model.dispose();
  });

  it('post-training quantization: quantize({ mode: "ptq" }) + tflite int8 writes a file that computes what the fake-quant model computed', async () => {
    const model = sequentialCnn();
    const path = join(dir, 'out', 'cnn.tflite');
    const calibration = inputsFor(model, 64, 3);
    const xs = inputsFor(model, 16, 11);
    const session = collab(model, [tflite({ path, mode: 'int8' }), quantize({ mode: 'ptq' })], { train: false, ...quiet });
    await session.calibrate(calibration[0]);
    // While the session runs, predict() is the emulated int8 model.
    const fakeQuant = Array.from({ length: 16 }, (_, i) => predictRows(model, xs, i));
    const { artifacts } = await session.finish();
    expect(artifacts).to.have.length(1);
    expect(artifacts[0].exporter).to.equal('tflite');
    expect(artifacts[0].path).to.equal(path);
    const report = artifacts[0].report as unknown as TfliteExportReport & { compression: string; size: { raw: number } };
    expect(report.compression).to.match(COMPRESSION);
    expect(report.size.raw).to.equal(statSync(path).size);
    expect(report.mode).to.equal('int8');
    // Every kernel holds the levels QAT/PTQ put it on — through the folded BatchNorms too.
    for (const w of report.weights) expect(w.verified, w.weightId).to.include('int8-grid');
    expect(report.foldedBatchNorms).to.deep.equal(['bn1 → c1', 'bn2 → dw1']);
    expect(report.fusedActivations).to.deep.equal(['relu1 → c1', 'relu6 → dw1']);
    const c = await compareWithTflite(new Uint8Array(readFileSync(path)), xs, fakeQuant);
    expect(c.top1Agreement).to.equal(1);
    // Softmax output grid: 1/256; integer kernels round differently from float fake-quant by a step or two.
    expect(c.maxAbsError).to.be.at.most(3 / 256);
    tf.dispose([...calibration, ...xs]);
    model.dispose();
  });

  it('PCQAT read-back: prune → sparsity-preserving cluster → PCQAT + int8 export keeps every zero and at most k values per kernel', async () => {
    const model = smallMlp(31);
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    const { xs, ys } = mlpData(32);
    const stage1 = collab(model, [prune({ finalSparsity: 0.5, endStep: 4, frequency: 1 })], { name: 'prune', ...quiet });
    await model.fit(xs, ys, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [stage1.callback()] });
    const { state: pruned } = await stage1.finish();
    const stage2 = collab(model, [sparsityConstraint(), cluster({ numClusters: 6 })], { name: 'cluster', state: pruned, ...quiet });
    await model.fit(xs, ys, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [stage2.callback()] });
    const { state: clustered } = await stage2.finish();
    const path = join(dir, 'pcqat.tflite');
    const stage3 = collab(model, [sparsityConstraint(), cluster(), quantize(), tflite({ path, mode: 'int8' })], { name: 'pcqat', state: clustered, ...quiet });
    await model.fit(xs, ys, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [stage3.callback()] });
    const { state, artifacts } = await stage3.finish();
    const report = artifacts[0].report as unknown as TfliteExportReport;
    for (const id of ['d1/kernel', 'd2/kernel']) {
      const w = report.weights.find((x) => x.weightId === id)!;
      expect(w.verified, id).to.include.members(['sparsity', 'clusters', 'int8-grid']);
    }
    await expectRunsInTflite(new Uint8Array(readFileSync(path)));
    // Independently of the exporter: read the file back.
    const inspected = new Map(inspectTflite(new Uint8Array(readFileSync(path))).weights.map((w) => [w.tensor, w]));
    const mask = state.get<SparsityData>('d1/kernel', 'sparsity')!.data.mask.dataSync();
    const maskSparsity = Array.from(mask).filter((m) => m === 0).length / mask.length;
    expect(inspected.get('d1/kernel')!.sparsity).to.be.at.least(maskSparsity);
    expect(maskSparsity).to.be.at.least(0.45);
    expect(inspected.get('d1/kernel')!.distinct).to.be.at.most(6);
    for (const s of [pruned, clustered]) s.dispose();
    state.dispose();
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it('float32 and dynamic-range exports from a stage with an inherited state; dynamic-range uses the inherited grid', async () => {
    const model = smallMlp(5);
    const { xs } = mlpData(16);
    const q = collab(model, [quantize({ mode: 'ptq' })], { train: false, ...quiet });
    await q.calibrate(xs);
    const { state } = await q.finish();
    const floatPath = join(dir, 'f.tflite');
    const dynPath = join(dir, 'd.tflite');
    const floatStage = collab(model, [tflite({ path: floatPath })], { state, train: false, ...quiet });
    const { state: next, artifacts } = await floatStage.finish();
    const dynStage = collab(model, [tflite({ path: dynPath, mode: 'dynamic-range' })], { state: next, train: false, ...quiet });
    const { artifacts: dynArtifacts } = await dynStage.finish();
    expect([...artifacts, ...dynArtifacts].map((a) => a.path)).to.deep.equal([floatPath, dynPath]);
    expect(existsSync(floatPath) && existsSync(dynPath)).to.equal(true);
    const dyn = dynArtifacts[0].report as unknown as TfliteExportReport;
    await expectRunsInTflite(new Uint8Array(readFileSync(dynPath)));
    for (const w of dyn.weights) expect(w.verified).to.include('int8-grid');
    const reference = Array.from({ length: 4 }, (_, i) => predictRows(model, [xs], i));
    const c = await compareWithTflite(new Uint8Array(readFileSync(floatPath)), [xs], reference);
    expect(c.maxAbsError).to.be.below(1e-4);
    for (const s of [state, next]) s.dispose();
    tf.dispose(xs);
    model.dispose();
  });
});
