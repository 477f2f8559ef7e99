/**
 * `--resume`: a run stopped in the middle of a stage (as Ctrl-C stops it: an aborted signal,
 * checked after every batch) keeps its finished stages and nothing else; resuming it reproduces
 * the uninterrupted run bit for bit; an edited recipe does not resume from a stale stage.
 *
 * The interruption is an `AbortController` aborted from the progress listener in the middle of
 * stage 2, not a killed process: it hits an exact, repeatable point of the run, and it is the
 * very path the CLI's SIGINT handler takes (tested separately in abortOnSigint.test.ts). A killed
 * process would add nothing the atomic writes do not already guarantee (tested in core).
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import type { Recipe } from '../../../recipes/src/recipe/Recipe';
import { runRecipe, type RunResult } from '../../../recipes/src/runner/runRecipe';
import { RunInterruptedError } from '../../../recipes/src/errors/RunInterruptedError';
import type { StageRecord } from '../../../recipes/src/runner/StageRecord';
import { readStageRecord } from '../../../recipes/src/runner/StageStore';
import { withTrainingBackend } from '../../helpers/mnist';
import { pcqatRecipe, sources } from './fixtures';

/** A record as stored (JSON: -0 is 0), without what legitimately differs between runs (timing). */
function numbers(record: StageRecord): unknown {
  const r = JSON.parse(JSON.stringify(record)) as StageRecord;
  const { finishedAt: _f, training, int8, ...rest } = r;
  const { seconds: _s, ...t } = training;
  const { latencyMs: _l, ...i } = int8;
  return { ...rest, training: t, int8: i };
}

/** A stage directory's files; model.json without the model's name (tfjs numbers unnamed models per process). */
async function files(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const name of ['weights.bin', 'collabopt-state.json', 'model.int8.tflite']) out.set(name, await fs.readFile(path.join(dir, name)));
  const json = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8'));
  delete json.modelTopology.config.name;
  out.set('model.json', Buffer.from(JSON.stringify(json)));
  return out;
}

describe('runRecipe --resume (wasm backend)', function () {
  withTrainingBackend(this);
  let root: string;
  let straight: RunResult;
  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'collabopt-resume-'));
    straight = await runRecipe(pcqatRecipe(), { sources, out: path.join(root, 'straight') });
  });
  after(async () => fs.rm(root, { recursive: true, force: true }));

  it('after a stage is interrupted, keeps the finished stages and reproduces the uninterrupted run', async () => {
    const out = path.join(root, 'interrupted');
    const controller = new AbortController();
    const recipe = pcqatRecipe();
    let stoppedAt = -1;
    const error = await runRecipe(recipe, {
      sources,
      out,
      signal: controller.signal,
      progress: {
        batchEnd: (e) => {
          // Stage 2 (sparse-cluster), in the middle of its epoch.
          if (stoppedAt === -2 && e.batch === 10) controller.abort();
        },
        stageBegin: (e) => {
          if (e.index === 2) stoppedAt = -2;
        },
      },
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(RunInterruptedError);
    const stagesDir = path.join(out, 'pcqat', 'stages');
    // Finished stages intact, the interrupted one not there, no temp directories left behind.
    expect((error as RunInterruptedError).finishedStages.map((d) => path.basename(d))).to.deep.equal(['00-baseline', '01-prune']);
    expect((await fs.readdir(stagesDir)).sort()).to.deep.equal(['00-baseline', '01-prune']);
    for (const d of ['00-baseline', '01-prune']) expect(await readStageRecord(path.join(stagesDir, d)), d).to.not.equal(null);

    const resumed = await runRecipe(recipe, { sources, out, resume: true });
    expect(resumed.stages.map((s) => s.reused)).to.deep.equal([true, true, false, false]);
    expect(resumed.stages.map((s) => numbers(s.record))).to.deep.equal(straight.stages.map((s) => numbers(s.record)));
    // Bit for bit: every stage's saved model, state and int8 file.
    for (let i = 0; i < 4; i++) {
      const a = await files(straight.stages[i].dir);
      const b = await files(resumed.stages[i].dir);
      for (const [name, bytes] of a) expect(Buffer.compare(bytes, b.get(name)!), `${straight.stages[i].name}/${name}`).to.equal(0);
    }
    expect(Buffer.compare(await fs.readFile(straight.exports[0].path), await fs.readFile(resumed.exports[0].path))).to.equal(0);
  });

  it('does not resume a stage whose recipe prefix changed, and runs only what changed', async () => {
    const out = path.join(root, 'straight');
    const base = pcqatRecipe();
    const last = base.stages[2];
    const edited: Recipe = { ...base, stages: [...base.stages.slice(0, 2), { ...last, optimizer: { type: 'adam', learningRate: 0.0001 } }] };
    const again = await runRecipe(edited, { sources, out, resume: true });
    expect(again.stages.map((s) => s.reused)).to.deep.equal([true, true, true, false]);
    expect(again.stages[3].record.hash).to.not.equal(straight.stages[3].record.hash);
    // Renaming a stage changes no computation: still resumed.
    const renamed: Recipe = { ...edited, name: 'pcqat', stages: edited.stages.map((s) => (s.name === 'prune' ? { ...s, name: 'pruned' } : s)) };
    const third = await runRecipe(renamed, { sources, out, resume: true });
    expect(third.stages.map((s) => s.reused)).to.deep.equal([true, true, true, true]);
    // Without --resume every stage runs again, complete stage directories or not.
    const fresh = await runRecipe({ ...base, stages: base.stages.slice(0, 1) }, { sources, out, resume: false, exports: false });
    expect(fresh.stages.map((s) => s.reused)).to.deep.equal([false, false]);
  });
});
