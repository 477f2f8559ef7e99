/**
 * `explore`: the seed's recommended process on an MNIST subset — leaves tried level by level
 * (PTQ, QAT, then the prune path), stopping at the first leaf that meets the targets; leaves after
 * it are never trained; the table marks the Pareto front.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { DeploymentTree, type TreeRecipe } from '../../../recipes/src/explore/DeploymentTree';
import { exploreDeploymentTree } from '../../../recipes/src/explore/exploreDeploymentTree';
import { exploreTable } from '../../../recipes/src/explore/exploreTable';
import { formatTable } from '../../../recipes/src/report/formatTable';
import type { Recipe } from '../../../recipes/src/recipe/Recipe';
import { RecipeInputError } from '../../../recipes/src/errors/RecipeInputError';
import { withTrainingBackend } from '../../helpers/mnist';
import { reportMeasure } from '../../helpers/report';
import { BASE, sources, STAGES } from './fixtures';

// Listed in an order the walk must not follow: the level-2 leaves first.
const RECIPES: Recipe[] = [
  { name: 'prune-pqat', ...BASE, stages: [STAGES.prune, STAGES.pqat] },
  { name: 'prune-ptq', ...BASE, stages: [STAGES.prune, STAGES.ptq], exports: [{ format: 'tflite', mode: 'int8' }] },
  { name: 'qat', ...BASE, stages: [STAGES.qat] },
  { name: 'ptq', ...BASE, stages: [STAGES.ptq], exports: [{ format: 'tflite', mode: 'int8' }] },
];

describe('explore (wasm backend, TFLite interpreter)', function () {
  withTrainingBackend(this);
  let out: string;
  let tree: DeploymentTree;
  before(async () => {
    out = await fs.mkdtemp(path.join(os.tmpdir(), 'collabopt-explore-'));
    tree = new DeploymentTree(RECIPES.map((recipe): TreeRecipe => ({ recipe, baseDir: out })));
  });
  after(async () => fs.rm(out, { recursive: true, force: true }));

  it('orders the leaves level by level, post-training quantization first', () => {
    expect(tree.roots).to.have.length(1);
    expect(tree.explorationOrder().map((l) => l.recipe.recipe.name)).to.deep.equal(['ptq', 'qat', 'prune-ptq', 'prune-pqat']);
    // prune is one node shared by both prune recipes.
    expect(tree.nodes().map((n) => `${n.depth}:${n.name}`)).to.deep.equal(['0:baseline', '1:prune', '2:pqat', '2:ptq', '1:qat', '1:ptq']);
  });

  it('stops at the first leaf that meets the targets, and trains nothing after it', async () => {
    // Any leaf within 50 points: the first one tried.
    const easy = await exploreDeploymentTree(tree, { maxAccuracyDrop: 0.5 }, { sources, out });
    expect(easy.tried.map((t) => t.leaf.recipe.recipe.name)).to.deep.equal(['ptq']);
    expect(easy.found?.leaf.recipe.recipe.name).to.equal('ptq');
    expect(easy.nodes.size).to.equal(2);
    expect(easy.found!.run.exports.map((e) => path.basename(e.path))).to.deep.equal(['model-int8.tflite']);
    await fs.access(path.join(out, 'ptq', 'model-int8.tflite'));
    for (const never of ['qat', 'prune-ptq', 'prune-pqat']) {
      expect(await fs.readdir(path.join(out, never)).catch(() => null), never).to.equal(null);
    }

    // A size only pruning reaches: PTQ and QAT miss, prune → PTQ is the first to meet it.
    const ptqSize = easy.found!.record.int8.size!.deflated;
    const targets = { maxSize: Math.floor(ptqSize * 0.8), maxAccuracyDrop: 0.05 };
    const result = await exploreDeploymentTree(tree, targets, { sources, out, resume: true });
    expect(result.tried.map((t) => t.leaf.recipe.recipe.name)).to.deep.equal(['ptq', 'qat', 'prune-ptq']);
    expect(result.tried.map((t) => t.verdict.meets)).to.deep.equal([false, false, true]);
    expect(result.tried[0].verdict.misses.join()).to.match(/^size [\d,]+ B > [\d,]+ B$/);
    expect(result.found?.leaf.recipe.recipe.name).to.equal('prune-ptq');
    expect(result.found!.verdict.size).to.be.at.most(targets.maxSize);
    expect(result.found!.verdict.accuracySource).to.equal('tflite');
    // The baseline and PTQ leaf of the first walk were reused, not trained again.
    expect(result.tried[0].run.stages.every((s) => s.reused)).to.equal(true);
    // prune → PQAT was never trained.
    expect(await fs.readdir(path.join(out, 'prune-pqat')).catch(() => null)).to.equal(null);
    expect([...result.nodes.values()].map((n) => n.record.path.join('/')).sort()).to.deep.equal(['baseline', 'baseline/prune', 'baseline/prune/ptq', 'baseline/ptq', 'baseline/qat']);

    // Pareto front: no node on it is beaten in both INT8 top-1 and size by another node tried.
    expect(result.pareto.size).to.be.at.least(1);
    const records = [...result.nodes.values()].map((n) => n.record);
    for (const h of result.pareto) {
      const r = result.nodes.get(h)!.record;
      const beaten = records.some((o) => o.int8.accuracy! >= r.int8.accuracy! && o.int8.size!.deflated <= r.int8.size!.deflated && (o.int8.accuracy! > r.int8.accuracy! || o.int8.size!.deflated < r.int8.size!.deflated));
      expect(beaten, r.path.join('/')).to.equal(false);
    }
    // The smallest node tried is on the front.
    const smallest = records.reduce((a, b) => (b.int8.size!.deflated < a.int8.size!.deflated ? b : a));
    expect(result.pareto.has(smallest.hash)).to.equal(true);

    const text = formatTable(exploreTable(result));
    reportMeasure('explore table', `\n${text}`);
    const row = (name: string) => text.split('\n').find((l) => l.includes(name))!;
    expect(row('[prune-ptq]')).to.match(/meets/);
    expect(row('[qat]')).to.match(/size [\d,]+ B >/);
    expect(text.split('\n').filter((l) => / \*$/.test(l))).to.have.length(result.pareto.size);
  });

  it('needs a target, and one baseline', async () => {
    const none = await exploreDeploymentTree(tree, {}, { sources, out }).catch((e: unknown) => e);
    expect(none).to.be.instanceOf(RecipeInputError).and.to.have.property('message').that.matches(/at least one target/);
    const other: Recipe = { ...RECIPES[3], name: 'other', seed: 7 };
    const forest = new DeploymentTree([...RECIPES, other].map((recipe) => ({ recipe, baseDir: out })));
    const two = await exploreDeploymentTree(forest, { maxSize: 1 }, { sources, out }).catch((e: unknown) => e);
    expect(two).to.be.instanceOf(RecipeInputError).and.to.have.property('message').that.matches(/2 different baselines/);
  });
});
