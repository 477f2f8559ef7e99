import * as path from 'node:path';
import { DeploymentTree } from '../../explore/DeploymentTree';
import { exploreDeploymentTree } from '../../explore/exploreDeploymentTree';
import { exploreTable } from '../../explore/exploreTable';
import type { ExploreTargets } from '../../explore/ExploreTargets';
import { formatPercent } from '../../report/formatPercent';
import { formatTable } from '../../report/formatTable';
import { buildRunReport } from '../../report/RunReport';
import { writeRunReport } from '../../report/writeRunReport';
import { quickRecipe } from '../../runner/quickRecipe';
import { RecipeInputError } from '../../errors/RecipeInputError';
import type { CliCommand } from '../CliCommand';
import { displayPath } from '../displayPath';
import { CliUsageError } from '../../errors/CliUsageError';
import { loadTreeRecipes } from '../loadTreeRecipes';
import { parseCliArgs } from '../parseCliArgs';
import { withTrainingRuntime } from '../trainingCommandRuntime';

const OPTIONS = {
  'max-accuracy-drop': { type: 'string' },
  'max-size': { type: 'string' },
  'max-latency': { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'boolean' },
  json: { type: 'boolean' },
  quick: { type: 'boolean' },
} as const;

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, k: 1000, kb: 1000, kib: 1024, m: 1e6, mb: 1e6, mib: 1024 * 1024 };

/** `1`, `1%`, `0.5` → percentage points as a fraction. */
function parseDrop(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*%?$/.exec(text.trim());
  if (!m) throw new CliUsageError(`--max-accuracy-drop takes percentage points, e.g. 1 or 0.5% (got "${text}")`);
  return Number(m[1]) / 100;
}

/** `20000`, `20k`, `19.5 KiB` → bytes. */
function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = m ? SIZE_UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new CliUsageError(`--max-size takes deflated bytes, e.g. 12000, 12k or 11.7KiB (got "${text}")`);
  return Math.floor(Number(m[1]) * unit);
}

/** `0.5`, `0.5ms` → milliseconds. */
function parseLatency(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms)?$/.exec(text.trim());
  if (!m || Number(m[1]) <= 0) throw new CliUsageError(`--max-latency takes milliseconds per inference, e.g. 0.2 or 0.2ms (got "${text}")`);
  return Number(m[1]);
}

/**
 * `collabopt explore`: the seed's recommended process — from the trained baseline, walk the
 * deployment tree level by level until a leaf meets the targets; print every node tried with the
 * Pareto front marked.
 */
export const exploreCommand: CliCommand = {
  name: 'explore',
  summary: 'walk the deployment tree level by level until a leaf meets accuracy/size/latency targets',
  usage: [
    'Usage: collabopt explore [<recipe.json>...] [--max-accuracy-drop <points>] [--max-size <bytes>]',
    '                         [--max-latency <ms>] [--out <dir>] [--resume] [--quick] [--json]',
    '',
    "The seed's recommended training process, automated. The recipes (default: the library) form one",
    'deployment tree from one baseline; its leaves are tried level by level — quantizing the baseline',
    '(PTQ, then QAT), then one technique before quantizing (the prune and cluster paths), then two',
    '(PCQAT) — and the walk stops at the first leaf whose int8 .tflite file meets every target. Shared',
    'stages are trained once; leaves after the one found are never trained. Prints every node tried',
    '(INT8 top-1 and latency measured in LiteRT, or TFLite 2.9 when Chromium is missing, and the',
    'compression of the int8 file), with',
    'the Pareto front of INT8 top-1 vs size (and latency, when targeted) marked "*". The recipe found',
    'writes its exports; <dir>/explore-report.html and .json hold the details.',
    '',
    'Targets (at least one):',
    '  --max-accuracy-drop <points>  INT8 top-1 at most this many percentage points below the',
    "                                baseline's FP32 top-1, e.g. 1 or 0.5%",
    '  --max-size <bytes>            int8 .tflite file after deflate (zlib 6), e.g. 12000 or 12k',
    '  --max-latency <ms>            mean milliseconds per inference, 1 thread, batch 1',
    '',
    'Options:',
    '  --out <dir>  output folder (default ./out)',
    '  --resume     reuse finished stages of earlier runs in <dir>',
    '  --quick      the same recipes on fewer samples (3,000 train, 1,000 test, 250 representative)',
    '  --json       print the report as JSON on stdout',
    '',
    'Exit codes: 0 a leaf met the targets; 3 no leaf met them; 2 invalid input; 130 interrupted;',
    '1 unexpected failure.',
  ].join('\n'),

  async run(args, io) {
    const { values, positionals } = parseCliArgs(args, OPTIONS);
    const targets: ExploreTargets = {
      ...(values['max-accuracy-drop'] !== undefined ? { maxAccuracyDrop: parseDrop(values['max-accuracy-drop']) } : {}),
      ...(values['max-size'] !== undefined ? { maxSize: parseSize(values['max-size']) } : {}),
      ...(values['max-latency'] !== undefined ? { maxLatencyMs: parseLatency(values['max-latency']) } : {}),
    };
    if (Object.keys(targets).length === 0) throw new CliUsageError('give at least one target: --max-accuracy-drop, --max-size or --max-latency');
    const files = positionals.length > 0 ? positionals.map((f) => path.resolve(io.cwd, f)) : undefined;
    const recipes = await loadTreeRecipes(files, values.quick ? quickRecipe : undefined);
    const tree = new DeploymentTree(recipes);
    return withTrainingRuntime('explore', io, recipes.map((r) => r.recipe), values.out, async (rt) => {
      if (targets.maxLatencyMs !== undefined && rt.interpreterUnavailable) {
        throw new RecipeInputError(`--max-latency needs the TFLite interpreter to measure latency, and ${rt.interpreterUnavailable}`);
      }
      const result = await exploreDeploymentTree(tree, targets, { sources: rt.sources, out: rt.out, resume: values.resume ?? false, progress: rt.progress, signal: rt.signal });
      rt.progress.stop();
      const table = exploreTable(result);
      const wanted = [
        targets.maxAccuracyDrop !== undefined ? `drop ≤ ${formatPercent(targets.maxAccuracyDrop)}` : null,
        targets.maxSize !== undefined ? `size ≤ ${targets.maxSize.toLocaleString('en-US')} B` : null,
        targets.maxLatencyMs !== undefined ? `latency ≤ ${targets.maxLatencyMs} ms` : null,
      ].filter((x) => x !== null).join(', ');
      const title = `Exploration (${wanted}): ${result.tried.length} ${result.tried.length === 1 ? 'leaf' : 'leaves'} tried, ${result.nodes.size} nodes`;
      const outcome = result.found
        ? `found: ${result.found.leaf.recipe.recipe.name} (${result.found.record.path.join(' → ')}): INT8 top-1 ${formatPercent(result.found.verdict.accuracy)}` +
          `${result.found.verdict.accuracySource === 'stage' ? ' (the stage\'s own; the interpreter did not run)' : ''}, ` +
          `${result.found.verdict.size?.toLocaleString('en-US') ?? '?'} B deflated`
        : 'no leaf of the tree meets the targets';
      const report = buildRunReport({
        title: 'collabopt explore',
        command: ['collabopt', 'explore', ...args].join(' '),
        seconds: rt.elapsed(),
        backend: rt.backend,
        interpreterUnavailable: rt.interpreterUnavailable,
        tables: [{ title, table }],
        runs: result.tried.map((t) => ({ ...t.run, description: t.leaf.recipe.recipe.description })),
        explore: result,
      });
      const files = await writeRunReport(rt.out, report, 'explore-report');
      if (values.json) io.out(JSON.stringify(report, null, 1));
      else {
        io.out(title);
        io.out(formatTable(table));
        io.out('');
        io.out(outcome);
        if (result.found) for (const e of result.found.run.exports) io.out(`export ${e.format} ${e.variant}: ${displayPath(io.cwd, e.path)}  ${e.compression}`);
        io.out(`report: ${displayPath(io.cwd, files.html)} (numbers: ${displayPath(io.cwd, files.json)})`);
      }
      return result.found ? 0 : 3;
    });
  },
};
