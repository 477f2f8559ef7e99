import * as path from 'node:path';
import { loadRecipe } from '../../recipe/loadRecipe';
import { formatTable } from '../../report/formatTable';
import { pathTable } from '../../report/pathTable';
import { buildRunReport } from '../../report/RunReport';
import { writeRunReport } from '../../report/writeRunReport';
import { quickRecipe } from '../../runner/quickRecipe';
import { runRecipe } from '../../runner/runRecipe';
import type { CliCommand } from '../CliCommand';
import { displayPath } from '../displayPath';
import { CliUsageError } from '../../errors/CliUsageError';
import { parseCliArgs } from '../parseCliArgs';
import { TRAINING_COMMAND_OPTIONS, withTrainingRuntime } from '../trainingCommandRuntime';


/**
 * `collabopt run <recipe>`: runs one recipe — baseline, stages, exports — with progress bars, then
 * prints the results table in the seed's shape and writes `report.html` / `report.json`.
 */
export const runCommand: CliCommand = {
  name: 'run',
  summary: 'run a recipe: train its stages, export, print the results table, write a report',
  usage: [
    'Usage: collabopt run <recipe.json> [--out <dir>] [--resume] [--quick] [--json]',
    '',
    'Trains the baseline (unless the recipe starts from a saved model), runs each stage as a',
    'collab() session that inherits the previous stage\'s invariants, saves every finished stage,',
    'writes the recipe\'s exports, and prints the results table: per stage the FP32 top-1 (fake',
    'INT8 where quantized), the INT8 full-integer top-1 of the stage\'s int8 .tflite file run in',
    'LiteRT (LiteRT.js in headless Chromium; TFLite 2.9 via tfjs-tflite-node when Chromium is',
    'missing, saying so), and its compression, raw → deflated (x%).',
    '',
    'Options:',
    '  --out <dir>  output folder (default ./out): stages in <dir>/<recipe>/stages/, exports and',
    '               report.html / report.json in <dir>/<recipe>/',
    '  --resume     continue from the last finished stage of an earlier, interrupted run (stages',
    '               whose recipe prefix changed since are run again)',
    '  --quick      the same pipeline on fewer samples (3,000 train, 1,000 test, 250 representative)',
    '  --json       print the report as JSON on stdout (progress stays on stderr)',
    '',
    'Ctrl-C stops after the current batch: finished stages are kept, the unfinished one is dropped.',
    'Exit codes: 0 success; 2 invalid input (arguments, recipe, model or data that does not fit);',
    '130 interrupted; 1 unexpected failure.',
  ].join('\n'),

  async run(args, io) {
    const { values, positionals } = parseCliArgs(args, TRAINING_COMMAND_OPTIONS);
    if (positionals.length !== 1) throw new CliUsageError(positionals.length === 0 ? 'give the recipe file to run' : `give one recipe file, got ${positionals.length}: ${positionals.join(' ')}`);
    const file = path.resolve(io.cwd, positionals[0]);
    const loaded = await loadRecipe(file);
    const recipe = values.quick ? quickRecipe(loaded) : loaded;
    return withTrainingRuntime('run', io, [recipe], values.out, async (rt) => {
      const run = await runRecipe(recipe, {
        sources: rt.sources,
        out: rt.out,
        baseDir: path.dirname(file),
        resume: values.resume ?? false,
        progress: rt.progress,
        signal: rt.signal,
      });
      rt.progress.stop();
      const table = pathTable(run);
      const report = buildRunReport({
        title: `collabopt run ${recipe.name}`,
        command: ['collabopt', 'run', ...args].join(' '),
        seconds: rt.elapsed(),
        backend: rt.backend,
        interpreterUnavailable: rt.interpreterUnavailable,
        tables: [{ title: `${recipe.name}${recipe.description ? ` — ${recipe.description}` : ''}`, table }],
        runs: [{ ...run, description: recipe.description }],
      });
      const written = await writeRunReport(run.dir, report);
      if (values.json) {
        io.out(JSON.stringify(report, null, 1));
        return 0;
      }
      io.out(formatTable(table));
      io.out('');
      for (const e of run.exports) io.out(`export ${e.format} ${e.variant}: ${displayPath(io.cwd, e.path)}  ${e.compression}`);
      io.out(`report: ${displayPath(io.cwd, written.html)} (numbers: ${displayPath(io.cwd, written.json)})`);
      return 0;
    });
  },
};
