/**
 * The runner's pure pieces: stage hashes (what makes a stage reusable), `--quick`, the Pareto
 * front, target checks, the result cells and tables (including a column that could not be
 * measured), and the SIGINT handler.
 */
import { expect } from 'chai';
import { DeploymentTree } from '../../../recipes/src/explore/DeploymentTree';
import { checkTargets } from '../../../recipes/src/explore/ExploreTargets';
import { paretoFront } from '../../../recipes/src/explore/paretoFront';
import type { Recipe } from '../../../recipes/src/recipe/Recipe';
import { formatMarkdownTable, formatTable } from '../../../recipes/src/report/formatTable';
import { resultCells } from '../../../recipes/src/report/resultCells';
import { treeTable } from '../../../recipes/src/report/treeTable';
import { abortOnSigint } from '../../../recipes/src/runner/abortOnSigint';
import { quickRecipe } from '../../../recipes/src/runner/quickRecipe';
import type { StageRecord } from '../../../recipes/src/runner/StageRecord';
import { stageHashes } from '../../../recipes/src/runner/stageHashes';
import { BASE, STAGES } from './fixtures';

const recipe = (name: string, stages: Recipe['stages']): Recipe => ({ name, ...BASE, stages });

function record(over: Partial<StageRecord> & { hash: string }, int8: Partial<StageRecord['int8']> = {}): StageRecord {
  return {
    format: 'collabopt-stage',
    version: 1,
    recipe: 'r',
    index: 0,
    name: 'baseline',
    path: ['baseline'],
    quantized: false,
    plugins: [],
    training: { epochs: 0, steps: 0, batchSize: null, calibrationBatches: 0, seconds: 0, history: [] },
    accuracy: 0.9852,
    testSamples: 2000,
    kernels: [],
    kernelSample: null,
    finishedAt: '',
    ...over,
    int8: {
      file: 'model.int8.tflite',
      ranges: 'calibrated',
      size: { raw: 18096, deflated: 10814, reduction: 1 - 10814 / 18096 },
      compression: '18,096 → 10,814 (40.24%)',
      accuracy: 0.9841,
      latencyMs: 0.05,
      unavailable: null,
      verified: {},
      ...int8,
    },
  };
}

describe('runner units', () => {
  it('stage hashes chain prefixes and ignore names, descriptions, backend and exports', () => {
    const a = stageHashes(recipe('a', [STAGES.prune, STAGES.pqat]), '/x');
    const b = stageHashes({ ...recipe('b', [{ ...STAGES.prune, name: 'pruned' }, STAGES.ptq]), backend: 'cpu', exports: [{ format: 'tflite', mode: 'int8' }] }, '/y');
    expect(a).to.have.length(3);
    expect(b.slice(0, 2)).to.deep.equal(a.slice(0, 2));
    expect(b[2]).to.not.equal(a[2]);
    const lr = stageHashes(recipe('a', [{ ...STAGES.prune, optimizer: { type: 'adam', learningRate: 0.01 } }, STAGES.pqat]), '/x');
    expect(lr[0]).to.equal(a[0]);
    expect(lr[1]).to.not.equal(a[1]);
    expect(lr[2], 'a changed prefix changes every later stage').to.not.equal(a[2]);
    expect(stageHashes({ ...recipe('a', []), seed: 1 }, '/x')[0]).to.not.equal(a[0]);
    // Relative module paths are different files in different folders.
    const mod = (dir: string) => stageHashes({ ...recipe('m', []), model: { module: './model.js' } }, dir)[0];
    expect(mod('/p')).to.not.equal(mod('/q'));
  });

  it('--quick cuts the samples, keeps the pipeline, and never shares stages with the full recipe', () => {
    const full: Recipe = { ...recipe('full', [STAGES.prune]), data: { dataset: 'mnist', trainSamples: 12000, testSamples: 2000, representativeSamples: 1000 } };
    const quick = quickRecipe(full);
    expect(quick.data).to.deep.include({ trainSamples: 3000, testSamples: 1000, representativeSamples: 250 });
    expect(quick.stages).to.equal(full.stages);
    expect(quick.baseline).to.equal(full.baseline);
    expect(quickRecipe({ ...full, data: { dataset: 'mnist', trainSamples: 500 } }).data).to.deep.include({ trainSamples: 500, testSamples: 1000 });
    expect(stageHashes(quick, '/')[0]).to.not.equal(stageHashes(full, '/')[0]);
  });

  it('paretoFront keeps exactly the non-dominated items and ignores unmeasured ones', () => {
    const items = [
      { n: 'a', acc: 0.98, size: 14000 },
      { n: 'b', acc: 0.97, size: 8000 },
      { n: 'c', acc: 0.96, size: 9000 }, // dominated by b
      { n: 'd', acc: 0.98, size: 15000 }, // dominated by a
      { n: 'e', acc: 0.99, size: 20000 },
      { n: 'f', acc: NaN, size: 1 },
    ];
    expect([...paretoFront(items, (i) => [-i.acc, i.size])].map((i) => i.n).sort()).to.deep.equal(['a', 'b', 'e']);
  });

  it('checkTargets names every missed target, and falls back to the stage accuracy only when the interpreter could not run', () => {
    const r = record({ hash: 'h', quantized: true, accuracy: 0.95 }, { accuracy: 0.94 });
    expect(checkTargets(r, 0.96, { maxAccuracyDrop: 0.01, maxSize: 10000, maxLatencyMs: 1 })).to.deep.include({
      meets: false,
      accuracy: 0.94,
      accuracySource: 'tflite',
      misses: ['accuracy drop 2.00% > 1.00%', 'size 10,814 B > 10,000 B'],
    });
    const unmeasured = record({ hash: 'h', quantized: true, accuracy: 0.95 }, { accuracy: null, latencyMs: null, unavailable: 'tfjs-tflite-node is not installed' });
    const v = checkTargets(unmeasured, 0.955, { maxAccuracyDrop: 0.01, maxLatencyMs: 1 });
    expect(v).to.deep.include({ meets: false, accuracy: 0.95, accuracySource: 'stage', misses: ['latency unknown (tfjs-tflite-node is not installed)'] });
  });

  it('result cells follow the seed and say why a column is empty instead of guessing', () => {
    expect(resultCells(record({ hash: 'h' }))).to.deep.equal({ fp32: '98.52%', int8: '98.41%', compression: '18,096 → 10,814 (40.24%)', latency: '0.050 ms' });
    expect(resultCells(record({ hash: 'h', quantized: true })).fp32).to.equal('(fake INT8) 98.52%');
    const missing = record({ hash: 'h' }, { accuracy: null, latencyMs: null, unavailable: 'tfjs-tflite-node is not installed' });
    expect(resultCells(missing)).to.deep.include({ int8: 'n/a (tfjs-tflite-node is not installed)', latency: '-' });
    const failed = record({ hash: 'h' }, { file: null, size: null, compression: null, accuracy: null, latencyMs: null, unavailable: 'int8 export failed: layer x' });
    expect(resultCells(failed)).to.deep.include({ int8: 'n/a (int8 export failed: layer x)', compression: 'n/a' });
  });

  it('the tree table draws the deployment tree with one row per node run, in text and Markdown', () => {
    const recipes = [recipe('ptq', [STAGES.ptq]), recipe('prune-ptq', [STAGES.prune, STAGES.ptq]), recipe('prune-pqat', [STAGES.prune, STAGES.pqat])];
    const tree = new DeploymentTree(recipes.map((r) => ({ recipe: r, baseDir: '/' })));
    const nodes = new Map(tree.nodes().filter((n) => n.name !== 'pqat').map((n) => [n.hash, { dir: '/', record: record({ hash: n.hash, name: n.name, quantized: n.name === 'ptq' }) }]));
    const text = formatTable(treeTable(tree, nodes)).split('\n');
    const label = (l: string) => /^\s*\S.*?(?=\s{2,}|$)/.exec(l)![0];
    expect(text.slice(2).map(label)).to.deep.equal(['baseline', '├─ ptq [ptq]', '└─ prune', '   └─ ptq [prune-ptq]']);
    expect(text[3]).to.match(/\(fake INT8\) 98\.52%\s+98\.41%\s+18,096 → 10,814 \(40\.24%\)$/);
    const md = formatMarkdownTable(treeTable(tree, nodes)).split('\n');
    expect(md[1]).to.equal('| :--- | ---: | ---: | ---: |');
    expect(md[5]).to.equal('| \u00a0\u00a0\u00a0└─ ptq [prune-ptq] | (fake INT8) 98.52% | 98.41% | 18,096 → 10,814 (40.24%) |');
  });

  it('abortOnSigint aborts on the first Ctrl-C and removes its handler', () => {
    const lines: string[] = [];
    const before = process.listenerCount('SIGINT');
    const sigint = abortOnSigint((l) => lines.push(l));
    try {
      expect(process.listenerCount('SIGINT')).to.equal(before + 1);
      expect(sigint.signal.aborted).to.equal(false);
      process.emit('SIGINT');
      expect(sigint.signal.aborted).to.equal(true);
      expect(lines).to.deep.equal(['interrupt: stopping after the current batch; finished stages are kept (Ctrl-C again to quit at once)']);
    } finally {
      sigint.dispose();
    }
    expect(process.listenerCount('SIGINT')).to.equal(before);
  });
});
