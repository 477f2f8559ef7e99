import { DeploymentTree } from '../../explore/DeploymentTree';
import { runDeploymentTree } from '../../explore/runDeploymentTree';
import { formatTable } from '../../report/formatTable';
import { pathTable } from '../../report/pathTable';
import { buildRunReport } from '../../report/RunReport';
import { treeTable } from '../../report/treeTable';
import { writeRunReport } from '../../report/writeRunReport';
import { quickRecipe } from '../../runner/quickRecipe';
import type { CliCommand } from '../CliCommand';
import { displayPath } from '../displayPath';
import { CliUsageError } from '../../errors/CliUsageError';
import { loadTreeRecipes } from '../loadTreeRecipes';
import { parseCliArgs } from '../parseCliArgs';
import { TRAINING_COMMAND_OPTIONS, withTrainingRuntime } from '../trainingCommandRuntime';


/**
 * `collabopt start` (the repository's `npm start`): the whole deployment tree of the recipe
 * library on MNIST — the baseline, post-training quantization and QAT of it, the prune and cluster
 * paths, PCQAT — as one tree, every shared prefix trained once; prints the results table and
 * writes the report.
 */
export const startCommand: CliCommand = {
  name: 'start',
  summary: 'run every library recipe as one deployment tree, print the results table, write the report',
  usage: [
    'Usage: collabopt start [--quick] [--out <dir>] [--resume] [--json]',
    '',
    'Runs every recipe of the library (recipes/library/*.json) as one deployment tree: recipes',
    'that share a prefix (baseline, prune, cluster, prune → sparse-cluster) share its stages, so',
    'nothing is trained twice. Prints one row per node of the tree: FP32 top-1 (fake INT8 where',
    'quantized), INT8 full-integer top-1 of the node\'s int8 .tflite file in LiteRT (TFLite 2.9',
    'via tfjs-tflite-node when Chromium is missing, saying so), and its compression, raw →',
    'deflated (x%). Writes <dir>/report.html (the tables, the deployment tree as a diagram, an',
    'accuracy-vs-compressed-size scatter with its Pareto front, density plots of a kernel through',
    'each pipeline, per-layer sparsity and distinct values) and <dir>/report.json; each recipe\'s',
    'stages and exports go to <dir>/<recipe>/.',
    '',
    'Options:',
    '  --quick      the same tree on fewer samples (3,000 train, 1,000 test, 250 representative)',
    '  --out <dir>  output folder (default ./out)',
    '  --resume     continue an interrupted run from its finished stages',
    '  --json       print the report as JSON on stdout (progress stays on stderr)',
    '',
    'Exit codes: 0 success; 2 invalid input; 130 interrupted (finished stages are kept); 1 unexpected failure.',
  ].join('\n'),

  async run(args, io) {
    const { values, positionals } = parseCliArgs(args, TRAINING_COMMAND_OPTIONS);
    if (positionals.length > 0) throw new CliUsageError(`start takes no recipe files (it runs the library), got: ${positionals.join(' ')}; use "collabopt run <recipe>"`);
    const recipes = await loadTreeRecipes(undefined, values.quick ? quickRecipe : undefined);
    const tree = new DeploymentTree(recipes);
    return withTrainingRuntime('start', io, recipes.map((r) => r.recipe), values.out, async (rt) => {
      const result = await runDeploymentTree(tree, { sources: rt.sources, out: rt.out, resume: values.resume ?? false, progress: rt.progress, signal: rt.signal });
      rt.progress.stop();
      const first = result.runs[0]?.stages[0]?.record;
      const title = `Deployment tree: ${tree.recipes.length} recipes, ${result.nodes.size} nodes${first ? ` (${first.testSamples.toLocaleString('en-US')} test samples)` : ''}${values.quick ? ', --quick' : ''}`;
      const table = treeTable(tree, result.nodes);
      const report = buildRunReport({
        title: `collabopt start${values.quick ? ' --quick' : ''}`,
        command: ['collabopt', 'start', ...args].join(' '),
        seconds: rt.elapsed(),
        backend: rt.backend,
        interpreterUnavailable: rt.interpreterUnavailable,
        tables: [
          { title, table },
          ...result.runs.map((run, i) => {
            const d = recipes[i].recipe.description;
            return { title: `${run.recipe}${d ? ` — ${d}` : ''}`, table: pathTable(run) };
          }),
        ],
        runs: result.runs.map((run, i) => ({ ...run, description: recipes[i].recipe.description })),
      });
      const written = await writeRunReport(rt.out, report);
      if (values.json) {
        io.out(JSON.stringify(report, null, 1));
        return 0;
      }
      io.out(title);
      io.out(formatTable(table));
      io.out('');
      io.out(`report: ${displayPath(io.cwd, written.html)} (numbers: ${displayPath(io.cwd, written.json)}); exports in ${displayPath(io.cwd, rt.out)}/<recipe>/`);
      io.out(`done in ${rt.elapsed().toFixed(0)} s`);
      return 0;
    });
  },
};
