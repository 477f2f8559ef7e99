import { DeploymentTree } from '../../explore/DeploymentTree';
import { runDeploymentTree } from '../../explore/runDeploymentTree';
import { CliUsageError } from '../../errors/CliUsageError';
import { formatTable } from '../../report/formatTable';
import { buildRunReport } from '../../report/RunReport';
import { seedTables } from '../../report/seedTables';
import { writeRunReport } from '../../report/writeRunReport';
import { SEED_TABLE_SPECS } from '../../seed/SEED_TABLE_SPECS';
import { SEED_QUICK, seedTableRecipes } from '../../seed/seedTableRecipes';
import type { CliCommand } from '../CliCommand';
import { displayPath } from '../displayPath';
import { parseCliArgs } from '../parseCliArgs';
import { TRAINING_COMMAND_OPTIONS, withTrainingRuntime } from '../trainingCommandRuntime';
import { closestMatch } from '@collabopt/core';

/**
 * `collabopt seed-tables`: the seed's PQAT and CQAT tables (plus PCQAT) on the seed's
 * architectures at full data scale — every spec of `SEED_TABLE_SPECS` through the library's
 * QAT, PQAT, CQAT and PCQAT pipelines, run as one deployment tree (each baseline and prune stage
 * trained once, stages cached, `--resume` continues) — printed in the seed's layout with each
 * target marked met or MISSED.
 */
export const seedTablesCommand: CliCommand = {
  name: 'seed-tables',
  summary: "reproduce the seed's PQAT / CQAT tables on DS-CNN-L, MobileNet-v1 and the mnist-node CNN (full MNIST / Fashion-MNIST)",
  usage: [
    'Usage: collabopt seed-tables [--quick] [--model <id>] [--out <dir>] [--resume] [--json]',
    '',
    `Trains ${SEED_TABLE_SPECS.map((s) => s.title).join('; ')} on the full`,
    '60,000 training images, then each through QAT, pruning 50% → PQAT, clustering → CQAT and',
    'pruning → sparse clustering → PCQAT, as one deployment tree (shared stages trained once).',
    "Prints, per model, the seed's two tables: FP32 top-1 (fake INT8 where quantized), INT8 full",
    'integer top-1 of each int8 .tflite file on the full test set, and its compression raw →',
    'deflated (zlib 6); then each target (INT8 within 0.5 point of the baseline INT8, PQAT',
    'compression ≥ 40%, CQAT ≥ 36%, baseline accuracy) as met or MISSED. Fashion-MNIST comes from',
    "Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist).",
    '',
    'Options:',
    `  --quick      every path on ${SEED_QUICK.trainSamples} training and ${SEED_QUICK.testSamples} test images, one epoch per stage, DS-CNN-S (a smoke run)`,
    `  --model <id> only this model's tables (${SEED_TABLE_SPECS.map((s) => s.id).join(', ')})`,
    '  --out <dir>  output folder (default ./out)',
    '  --resume     continue an interrupted run from its finished stages',
    '  --json       print the report as JSON on stdout (progress stays on stderr)',
    '',
    'Exit codes: 0 success; 2 invalid input; 130 interrupted (finished stages are kept); 1 unexpected failure.',
  ].join('\n'),

  async run(args, io) {
    const { values, positionals } = parseCliArgs(args, { ...TRAINING_COMMAND_OPTIONS, model: { type: 'string' } });
    if (positionals.length > 0) throw new CliUsageError(`seed-tables takes no recipe files, got: ${positionals.join(' ')}`);
    const quick = values.quick ?? false;
    const specs = values.model === undefined ? SEED_TABLE_SPECS : SEED_TABLE_SPECS.filter((s) => s.id === values.model);
    if (specs.length === 0) {
      const ids = SEED_TABLE_SPECS.map((s) => s.id);
      const guess = closestMatch(values.model!, ids);
      throw new CliUsageError(`--model: unknown seed table model "${values.model}"${guess ? ` (did you mean "${guess}"?)` : ''}; models: ${ids.join(', ')}`);
    }
    const recipes = await seedTableRecipes({ quick, specs });
    const tree = new DeploymentTree(recipes);
    return withTrainingRuntime('seed-tables', io, recipes.map((r) => r.recipe), values.out, async (rt) => {
      const result = await runDeploymentTree(tree, { sources: rt.sources, out: rt.out, resume: values.resume ?? false, progress: rt.progress, signal: rt.signal });
      rt.progress.stop();
      const tables = specs.map((spec) => seedTables(spec, result.runs));
      const report = buildRunReport({
        title: `collabopt seed-tables${quick ? ' --quick' : ''}`,
        command: ['collabopt', 'seed-tables', ...args].join(' '),
        seconds: rt.elapsed(),
        backend: rt.backend,
        interpreterUnavailable: rt.interpreterUnavailable,
        tables: tables.flatMap((t) => [
          { title: `${t.title} — PQAT`, table: t.pqat },
          { title: `${t.title} — CQAT and PCQAT`, table: t.cqat },
          { title: `${t.title} — targets`, table: { header: ['target'], rows: t.targets.map((line) => [line]) } },
        ]),
        runs: result.runs.map((run, i) => ({ ...run, description: recipes[i]!.recipe.description })),
      });
      const written = await writeRunReport(rt.out, report);
      if (values.json) {
        io.out(JSON.stringify(report, null, 1));
        return 0;
      }
      for (const t of tables) {
        io.out(`${t.title}${quick ? ' (--quick)' : ''}`);
        io.out(formatTable(t.pqat));
        io.out('');
        io.out(formatTable(t.cqat));
        for (const line of t.targets) io.out(`  ${line}`);
        io.out('');
      }
      io.out(`report: ${displayPath(io.cwd, written.html)} (numbers: ${displayPath(io.cwd, written.json)}); exports in ${displayPath(io.cwd, rt.out)}/<recipe>/`);
      io.out(`done in ${rt.elapsed().toFixed(0)} s`);
      return 0;
    });
  },
};
