/**
 * The seed tables: their recipes are the library's pipelines on each spec's model and full
 * dataset (one deployment tree sharing baselines), and `collabopt seed-tables --quick` prints the
 * seed's two tables with every cell measured and every target judged.
 */
import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CliIo } from '../../../recipes/src/cli/CliIo';
import { runCli } from '../../../recipes/src/cli/runCli';
import { DeploymentTree } from '../../../recipes/src/explore/DeploymentTree';
import type { RunReport } from '../../../recipes/src/report/RunReport';
import { SEED_TABLE_SPECS } from '../../../recipes/src/seed/SEED_TABLE_SPECS';
import { SEED_PIPELINES, SEED_QUICK, seedTableRecipes } from '../../../recipes/src/seed/seedTableRecipes';
import { withChromiumPage } from '../../helpers/chromiumPage';
import { withTrainingBackend } from '../../helpers/mnist';

async function cli(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = { cwd, out: (l) => void stdout.push(l), err: (l) => void stderr.push(l) };
  const code = await runCli(argv, io);
  return { code, out: stdout.join('\n'), err: stderr.join('\n') };
}

describe('seed tables: recipes', () => {
  it('four library pipelines per spec on the full dataset; one baseline per spec in the tree', async () => {
    const recipes = await seedTableRecipes();
    expect(recipes).to.have.length(SEED_TABLE_SPECS.length * Object.keys(SEED_PIPELINES).length);
    for (const { recipe } of recipes) {
      expect(recipe.data).to.not.have.property('trainSamples');
      expect(recipe.data).to.not.have.property('testSamples');
      // The baseline trains on all of it; every training stage fine-tunes on the spec's subset.
      const spec = SEED_TABLE_SPECS.find((s) => recipe.name.startsWith(`${s.id}-`))!;
      for (const s of recipe.stages) expect(s.trainSamples, `${recipe.name}/${s.name}`).to.equal(s.epochs || s.steps ? spec.fineTuneSamples : undefined);
    }
    const dsL = recipes.find((r) => r.recipe.name === 'ds-cnn-l-fashion-pcqat')!.recipe;
    expect(dsL.model).to.deep.equal({ builtin: 'ds-cnn', options: { size: 'L' } });
    expect(dsL.stages.map((s) => s.name)).to.deep.equal(['prune', 'sparse-cluster', 'pcqat']);
    const tree = new DeploymentTree(recipes);
    // Each spec's baseline is one root shared by its four pipelines.
    expect(tree.roots).to.have.length(SEED_TABLE_SPECS.length);
    for (const root of tree.roots) expect(root.children.length).to.be.at.least(3);
  });

  it('--quick: a few hundred samples, one epoch per stage, the small DS-CNN', async () => {
    const recipes = await seedTableRecipes({ quick: true });
    for (const { recipe } of recipes) {
      expect(recipe.data).to.include({ trainSamples: SEED_QUICK.trainSamples, testSamples: SEED_QUICK.testSamples });
      expect(recipe.baseline!.epochs).to.equal(1);
      for (const s of recipe.stages) if (s.epochs !== undefined) expect(s.epochs, `${recipe.name}/${s.name}`).to.equal(1);
      for (const s of recipe.stages) expect(s, `${recipe.name}/${s.name}`).to.not.have.property('trainSamples');
    }
    expect(recipes.find((r) => r.recipe.name === 'ds-cnn-l-fashion-qat')!.recipe.model).to.deep.equal({ builtin: 'ds-cnn', options: { size: 'S' } });
  });
});

describe('collabopt seed-tables (wasm backend)', function () {
  withTrainingBackend(this, 900_000);
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'collabopt-seed-'));
  });
  after(async () => fs.rm(dir, { recursive: true, force: true }));

  it('an unknown --model is an input error with a did-you-mean, before anything trains', async () => {
    const r = await cli(dir, 'seed-tables', '--model', 'ds-cnn-l-fashon', '--out', 'x');
    expect(r.code).to.equal(2);
    expect(r.err).to.match(/--model: unknown seed table model "ds-cnn-l-fashon" \(did you mean "ds-cnn-l-fashion"\?\)/);
    await fs.access(path.join(dir, 'x')).then(
      () => expect.fail('nothing may be written'),
      () => undefined,
    );
  });

  it('--quick --model mnist-node-cnn-mnist prints both tables in the seed layout, every cell measured, every target judged; the report page draws the figures', async function () {
    const r = await cli(dir, 'seed-tables', '--quick', '--model', 'mnist-node-cnn-mnist', '--out', 'out', '--json');
    expect(r.code, r.err).to.equal(0);
    const report = JSON.parse(r.out) as RunReport;
    const titles = report.tables.map((t) => t.title);
    expect(titles).to.deep.equal([
      'tfjs-examples mnist-node CNN on MNIST — PQAT',
      'tfjs-examples mnist-node CNN on MNIST — CQAT and PCQAT',
      'tfjs-examples mnist-node CNN on MNIST — targets',
    ]);
    const [pqat, cqat, targets] = report.tables.map((t) => t.table);
    expect(pqat!.header).to.deep.equal(['Items', 'Baseline', 'Pruned (50% sparsity)', 'QAT', 'PQAT']);
    expect(cqat!.header).to.deep.equal(['Items', 'Baseline', 'Clustered', 'QAT', 'CQAT', 'PCQAT']);
    for (const table of [pqat!, cqat!]) {
      expect(table.rows.map((row) => row[0])).to.have.length(3);
      expect(table.rows[0]![0]).to.equal('FP32 top-1');
      expect(table.rows[1]![0]).to.match(/^INT8 full integer \((LiteRT|TFLite 2\.9)\)$/);
      expect(table.rows[2]![0]).to.equal('Compression');
      for (const cell of table.rows[1]!.slice(1)) expect(cell).to.match(/^\d+\.\d\d%/);
      for (const cell of table.rows[2]!.slice(1)) expect(cell).to.match(/^[\d,]+ → [\d,]+ \(\d+\.\d\d%\)$/);
    }
    // Quantized columns say their FP32 is fake INT8; float columns do not.
    expect(pqat!.rows[0]!.slice(1).map((c) => c.startsWith('(fake INT8)'))).to.deep.equal([false, false, true, true]);
    // Pruning to 50% zeros must show in the deflated size of the int8 file.
    const reduction = (cell: string) => Number(/\((\d+\.\d\d)%\)$/.exec(cell)![1]);
    expect(reduction(pqat!.rows[2]![4]!)).to.be.above(reduction(pqat!.rows[2]![3]!) + 10);
    expect(targets!.rows.map((row) => row[0])).to.have.length(9);
    for (const [line] of targets!.rows) expect(line).to.match(/: (met|MISSED)$/);

    // The report page, in a real browser: the seed's figures are there and nothing fails.
    const nodes = Object.keys(report.nodes).length;
    await withChromiumPage(this, path.join(dir, 'out', 'report.html'), async (page, errors) => {
      expect(errors).to.deep.equal([]);
      expect(await page.locator('svg.deployment-tree').count()).to.equal(1);
      expect(await page.locator('svg.deployment-tree g.node').count()).to.equal(nodes);
      // Collaborative steps: PQAT, sparse clustering, PCQAT and CQAT keep what the stage before established.
      const collaborative = await page.locator('svg.deployment-tree g.node.collaborative text:first-of-type').allTextContents();
      expect(collaborative.sort()).to.deep.equal(['cqat', 'pcqat', 'pqat', 'sparse-cluster']);
      const pcqat = await page.locator('svg.deployment-tree g.node', { hasText: 'pcqat' }).textContent();
      expect(pcqat).to.match(/INT8 \d+\.\d\d%/).and.match(/[\d,]+ B deflated \(\d+\.\d\d%\)/);
      expect(await page.locator('svg.pareto-scatter').count()).to.equal(1);
      // One density plot per recipe (its sample kernel through the pipeline), drawn with a size.
      expect(await page.locator('h2:has-text("Sample kernel") ~ svg').count()).to.equal(report.recipes.length);
      const box = await page.locator('svg.deployment-tree').boundingBox();
      expect(box!.width).to.be.above(500);
    });
  });
});
