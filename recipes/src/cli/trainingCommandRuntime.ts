import * as path from 'node:path';
import type { Recipe } from '../recipe/Recipe';
import { abortOnSigint } from '../runner/abortOnSigint';
import { closeLiteRt, keepLiteRtOpen } from '../runner/litert/sharedLiteRt';
import { LocalRecipeSources } from '../runner/LocalRecipeSources';
import { ProgressBars } from '../runner/ProgressBars';
import { RunInterruptedError } from '../errors/RunInterruptedError';
import { selectRecipeBackend } from '../runner/selectRecipeBackend';
import { chooseInt8Runtime } from '../runner/TfliteRuntime';
import type { CliIo } from './CliIo';
import { displayPath } from './displayPath';

/** What a training command (`run`, `start`, `explore`) runs with. */
/** The options `run` and `start` share: `--out <dir>`, `--resume`, `--json`, `--quick`. */
export const TRAINING_COMMAND_OPTIONS = {
  out: { type: 'string' },
  resume: { type: 'boolean' },
  json: { type: 'boolean' },
  quick: { type: 'boolean' },
} as const;

export interface TrainingRuntime {
  /** Model and data loaders; each dataset is loaded once. */
  readonly sources: LocalRecipeSources;
  /** Progress bars on standard error (stdout stays free for the table or `--json`). */
  readonly progress: ProgressBars;
  /** Aborted by Ctrl-C. */
  readonly signal: AbortSignal;
  /** `selectBackend`'s report line. */
  readonly backend: string;
  /** Why the INT8 column cannot be measured, or null. */
  readonly interpreterUnavailable: string | null;
  /** Seconds since the command started. */
  elapsed(): number;
  /** `--out` resolved against the working directory (default `out`). */
  readonly out: string;
}

/**
 * Runs a training command's body with what it needs — the recipes' backend selected, model and
 * data sources, progress bars, Ctrl-C handling — and takes it all down afterwards. An interrupted
 * run prints what was kept and returns exit code 130; other errors propagate to the dispatcher
 * (exit 2 for invalid input, 1 otherwise).
 */
export async function withTrainingRuntime(
  command: string,
  io: CliIo,
  recipes: readonly Recipe[],
  out: string | undefined,
  body: (runtime: TrainingRuntime) => Promise<number>,
): Promise<number> {
  const started = Date.now();
  const progress = new ProgressBars({ stream: process.stderr, bars: Boolean(process.stderr.isTTY), log: (l) => io.err(l) });
  const sigint = abortOnSigint((line) => progress.info(line));
  const sources = new LocalRecipeSources();
  try {
    const selection = await selectRecipeBackend(recipes, (line) => progress.info(line));
    // One Chromium for the whole command: every stage's INT8 cell runs in it.
    keepLiteRtOpen();
    const choice = await chooseInt8Runtime();
    const interpreterUnavailable = choice.unavailable;
    if (interpreterUnavailable) progress.warn(`the INT8 column will say why it is empty: ${interpreterUnavailable}`);
    else if (choice.liteRtUnavailable) progress.warn(`the INT8 column falls back to TFLite 2.9 (tfjs-tflite-node): ${choice.liteRtUnavailable}`);
    return await body({
      sources,
      progress,
      signal: sigint.signal,
      backend: selection.summary.replace(/^collabopt: /, ''),
      interpreterUnavailable,
      elapsed: () => (Date.now() - started) / 1000,
      out: path.resolve(io.cwd, out ?? 'out'),
    });
  } catch (e) {
    if (!(e instanceof RunInterruptedError)) throw e;
    progress.stop();
    io.err(`collabopt ${command}: ${e.message}`);
    for (const dir of e.finishedStages) io.err(`  kept ${displayPath(io.cwd, dir)}`);
    return 130;
  } finally {
    progress.stop();
    sigint.dispose();
    await Promise.all([sources.dispose(), closeLiteRt()]);
  }
}
