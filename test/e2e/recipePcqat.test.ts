/**
 * The seed's level-3 deployment path as a recipe, end to end on an MNIST subset: baseline →
 * prune → sparsity-preserving cluster → PCQAT → int8 TFLite. The runner fills the results table
 * (INT8 column measured by the real TFLite interpreter), and the exported file is read back to
 * check that it keeps every invariant the stages established.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { loadModel, type SparsityData } from '@collabopt/core';
import { inspectTfliteFile } from '../../plugins/src/export/tflite/read/inspectTfliteFile';
import { formatTable } from '../../recipes/src/report/formatTable';
import { pathTable } from '../../recipes/src/report/pathTable';
import { runRecipe } from '../../recipes/src/runner/runRecipe';
import { withTrainingBackend } from '../helpers/mnist';
import { reportMeasure } from '../helpers/report';
import { pcqatRecipe, sources, TEST } from '../recipes/runner/fixtures';

const KERNELS = ['conv1/kernel', 'conv2/kernel', 'fc1/kernel', 'fc2/kernel'];

describe('recipe prune → sparse cluster → PCQAT on an MNIST subset (wasm, TFLite interpreter)', function () {
  withTrainingBackend(this);
  let out: string;
  before(async () => {
    out = await fs.mkdtemp(path.join(os.tmpdir(), 'collabopt-e2e-'));
  });
  after(async () => {
    await fs.rm(out, { recursive: true, force: true });
  });

  it('fills the table with interpreter-measured INT8 top-1 and exports a file that keeps sparsity, ≤ 16 values and the int8 grid', async () => {
    await sources.data(pcqatRecipe(), out); // loaded once per process: not part of the leak count
    const tensorsBefore = tf.memory().numTensors;
    const run = await runRecipe(pcqatRecipe(), { sources, out, checkEvery: 'step' });
    expect(tf.memory().numTensors, 'tensors left behind by the run').to.equal(tensorsBefore);

    expect(run.stages.map((s) => s.name)).to.deep.equal(['baseline', 'prune', 'sparse-cluster', 'pcqat']);
    for (const { record } of run.stages) {
      expect(record.int8.unavailable, record.name).to.equal(null);
      expect(record.int8.accuracy, record.name).to.be.within(0.5, 1);
      expect(record.int8.size!.deflated).to.be.below(record.int8.size!.raw);
      expect(record.testSamples).to.equal(TEST);
    }
    const [baseline, pruned, clustered, pcqat] = run.stages.map((s) => s.record);
    expect(pcqat.quantized).to.equal(true);
    expect(baseline.quantized || pruned.quantized || clustered.quantized).to.equal(false);
    // The int8 file computes what the fake-quant model computes: within one point on 500 images.
    expect(Math.abs(pcqat.int8.accuracy! - pcqat.accuracy)).to.be.at.most(0.01);
    // Pruning and clustering show in the deflated size, as in the seed's tables.
    expect(pruned.int8.size!.deflated).to.be.below(baseline.int8.size!.deflated * 0.85);
    expect(clustered.int8.size!.deflated).to.be.below(pruned.int8.size!.deflated);

    const table = formatTable(pathTable(run));
    reportMeasure('pcqat recipe table', `\n${table}`);
    expect(table).to.contain(`(fake INT8) ${(pcqat.accuracy * 100).toFixed(2)}%`);
    expect(table).to.contain(pcqat.int8.compression!);
    expect(table.split('\n')[0]).to.match(/baseline\s+prune\s+sparse-cluster\s+pcqat$/);

    // The export, read back: every kernel int8, at least as sparse as pruned, ≤ 16 values per
    // channel, and the exporter verified all three claims on the bytes.
    expect(run.exports).to.have.length(1);
    const file = run.exports[0].path;
    expect(path.basename(file)).to.equal('model-int8.tflite');
    const inspection = await inspectTfliteFile(file);
    expect(inspection.weights).to.have.length(KERNELS.length);
    for (const w of inspection.weights) {
      expect(w.type, w.tensor).to.equal('int8');
      expect(w.sparsity, w.tensor).to.be.at.least(0.49);
      expect(w.distinctPerChannel ?? w.distinct, w.tensor).to.be.at.most(16);
    }
    for (const id of KERNELS) expect(pcqat.int8.verified[id], id).to.have.members(['sparsity', 'clusters', 'int8-grid']);

    // The stages handed their invariants on: the final stage's saved state still has the mask the
    // prune stage fixed, and the final weights are zero exactly where it says.
    const first = await loadModel(run.stages[1].dir);
    const last = await loadModel(run.stages[3].dir);
    try {
      for (const id of KERNELS) {
        const mask = first.state.get<SparsityData>(id, 'sparsity')!.data.mask.dataSync();
        expect(Array.from(last.state.get<SparsityData>(id, 'sparsity')!.data.mask.dataSync())).to.deep.equal(Array.from(mask));
        const kernel = last.model.getLayer(id.split('/')[0]).getWeights()[0].dataSync();
        mask.forEach((m, i) => {
          if (m === 0 && kernel[i] !== 0) expect.fail(`${id}[${i}] = ${kernel[i]} but the prune stage pruned it`);
        });
        expect(last.state.has(id, 'clusters') && last.state.has(id, 'int8-grid'), id).to.equal(true);
      }
    } finally {
      for (const l of [first, last]) {
        l.model.dispose();
        l.state.dispose();
      }
    }
  });
});
