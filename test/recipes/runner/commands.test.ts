/**
 * The training and inspection commands through the `collabopt` dispatcher, on a tiny MNIST recipe:
 * `run` (table, report, `--resume --json`), Ctrl-C (exit 130, finished stages kept), input errors
 * (exit 2 with a clear message), `inspect` of a .tflite file and of a stage directory, and the
 * argument checks of `explore`.
 */
import { existsSync, promises as fs } from 'node:fs';
import { execFile } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import type { CliIo } from '../../../recipes/src/cli/CliIo';
import { runCli } from '../../../recipes/src/cli/runCli';
import type { RunReport } from '../../../recipes/src/report/RunReport';
import { withTrainingBackend } from '../../helpers/mnist';

interface Recorded extends CliIo {
  readonly stdout: string[];
  readonly stderr: string[];
}

function recorder(cwd: string): Recorded {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { cwd, stdout, stderr, out: (l) => void stdout.push(l), err: (l) => void stderr.push(l) };
}

/** Runs `collabopt <argv>`; returns the exit code and what it printed. */
async function cli(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = recorder(cwd);
  const code = await runCli(argv, io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

const TINY = {
  name: 'tiny',
  model: { builtin: 'mnist-cnn' },
  data: { dataset: 'mnist', trainSamples: 1000, testSamples: 200, representativeSamples: 100 },
  baseline: { epochs: 1, batchSize: 50, optimizer: { type: 'adam', learningRate: 0.005 } },
  stages: [
    { name: 'prune', plugins: [{ plugin: 'prune', finalSparsity: 0.5, endStep: 10, frequency: 5 }], epochs: 1, batchSize: 50 },
    { name: 'ptq', plugins: [{ plugin: 'quantize', mode: 'ptq' }], calibrate: { batchSize: 50 } },
  ],
  exports: [{ format: 'tflite', mode: 'int8' }],
};

describe('collabopt run / inspect / explore (wasm backend)', function () {
  withTrainingBackend(this);
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'collabopt-cli-'));
    await fs.writeFile(path.join(dir, 'tiny.json'), JSON.stringify(TINY));
    await fs.writeFile(
      path.join(dir, 'wrong-input.json'),
      JSON.stringify({ ...TINY, name: 'wrong-input', model: { module: path.join(__dirname, 'wrongInputModel.ts') } }),
    );
  });
  after(async () => fs.rm(dir, { recursive: true, force: true }));

  it('run prints the seed-shaped table, writes exports and a self-contained report; --resume --json reuses every stage', async () => {
    const first = await cli(dir, 'run', 'tiny.json', '--out', 'out');
    expect(first.code, first.err).to.equal(0);
    const lines = first.out.split('\n');
    expect(lines[0]).to.match(/^tiny \(200 test samples\)\s+baseline\s+prune\s+ptq$/);
    expect(lines[2]).to.match(/^FP32 top-1\s+\d+\.\d\d%\s+\d+\.\d\d%\s+\(fake INT8\) \d+\.\d\d%$/);
    expect(lines[3]).to.match(/^INT8 full integer \((LiteRT|TFLite 2\.9)\)(\s+\d+\.\d\d%){3}$/);
    expect(lines[4]).to.match(/^Compression \(int8 \.tflite\)(\s+[\d,]+ → [\d,]+ \(\d+\.\d\d%\)){3}$/);
    expect(first.out).to.contain(`export tflite int8: ${path.join('out', 'tiny', 'model-int8.tflite')}`);
    expect(first.out).to.contain(`report: ${path.join('out', 'tiny', 'report.html')}`);
    expect(first.err).to.match(/✓ baseline → prune → ptq/);

    const html = await fs.readFile(path.join(dir, 'out', 'tiny', 'report.html'), 'utf8');
    expect(html).to.match(/^<!DOCTYPE html>/);
    expect(html).to.contain('<svg');
    expect(html, 'self-contained: no scripts, no external resources').to.not.match(/<script|\bsrc=|<link|url\(/i);
    expect(html).to.contain('conv1/kernel');

    const again = await cli(dir, 'run', 'tiny.json', '--out', 'out', '--resume', '--json');
    expect(again.code, again.err).to.equal(0);
    const report = JSON.parse(again.out) as RunReport;
    expect(report.format).to.equal('collabopt-report');
    expect(Object.values(report.nodes).map((n) => [n.name, n.reused])).to.deep.equal([['baseline', true], ['prune', true], ['ptq', true]]);
    expect(report.recipes[0].exports).to.have.length(1);
    const stored = JSON.parse(await fs.readFile(path.join(dir, 'out', 'tiny', 'report.json'), 'utf8')) as RunReport;
    expect(stored.nodes).to.deep.equal(report.nodes);
  });

  it('Ctrl-C exits with 130 and keeps only complete stages; --resume continues from them', async () => {
    const out = path.join(dir, 'interrupted');
    const baselineDone = path.join(out, 'tiny', 'stages', '00-baseline', 'stage.json');
    const handlers = process.listenerCount('SIGINT');
    let sent = false;
    // Ctrl-C once the baseline is complete (the next stage is then training, measuring or saving).
    const poll = setInterval(() => {
      if (!sent && process.listenerCount('SIGINT') > handlers && existsSync(baselineDone)) {
        sent = true;
        process.emit('SIGINT');
      }
    }, 2);
    const result = await cli(dir, 'run', 'tiny.json', '--out', out).finally(() => clearInterval(poll));
    expect(sent).to.equal(true);
    expect(result.code, result.err).to.equal(130);
    expect(result.err).to.match(/interrupt: stopping after the current batch/);
    expect(process.listenerCount('SIGINT'), 'the handler is removed').to.equal(handlers);
    // What is on disk is exactly what the command said it kept, every stage complete, no temp files.
    const kept = [...result.err.matchAll(/kept .*stages[/\\](\S+)/g)].map((m) => m[1]);
    const stages = path.join(out, 'tiny', 'stages');
    const present = (await fs.readdir(stages)).sort();
    expect(present).to.deep.equal(kept);
    expect(present[0]).to.equal('00-baseline');
    expect(present).to.not.include('02-ptq');
    for (const d of present) await fs.access(path.join(stages, d, 'stage.json'));
    expect(existsSync(path.join(out, 'tiny', 'report.html'))).to.equal(false);

    const resumed = await cli(dir, 'run', 'tiny.json', '--out', out, '--resume', '--json');
    expect(resumed.code, resumed.err).to.equal(0);
    const reused = Object.values((JSON.parse(resumed.out) as RunReport).nodes).map((n) => n.reused);
    expect(reused).to.deep.equal([true, present.length > 1, false]);
  });

  /** `collabopt run` of a one-stage recipe in a separate process with `env` added (and `preload`, when given). */
  async function runApart(name: string, env: Record<string, string>, preload: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
    const root = path.join(__dirname, '..', '..', '..');
    const args = ['--conditions=source', '-r', require.resolve('ts-node/register'), ...preload.flatMap((p) => ['-r', p]), path.join(root, 'recipes', 'src', 'cli', 'main.ts')];
    const tiny = { ...TINY, name, data: { dataset: 'mnist', trainSamples: 200, testSamples: 50, representativeSamples: 50 }, stages: [TINY.stages[1]] };
    await fs.writeFile(path.join(dir, `${name}.json`), JSON.stringify(tiny));
    return new Promise((resolve) => {
      // From the repository root, where ts-node finds its configuration.
      execFile(process.execPath, [...args, 'run', path.join(dir, `${name}.json`), '--out', path.join(dir, 'out')], { cwd: root, env: { ...process.env, COLLABOPT_BACKEND: 'wasm', ...env } }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });
  }

  it('without Chromium and tfjs-tflite-node the INT8 column says so instead of guessing', async () => {
    // A separate process, whose require() of the interpreter fails as on a machine without it,
    // and whose Chromium is missing.
    const { code, stdout, stderr } = await runApart('no-interpreter', { COLLABOPT_CHROMIUM: '/nonexistent/chromium' }, [path.join(__dirname, 'withoutTfliteNode.js')]);
    expect(code, stderr).to.equal(0);
    expect(stderr).to.contain('the INT8 column will say why it is empty: Chromium not found at /nonexistent/chromium; tfjs-tflite-node is not installed');
    const int8Row = stdout.split('\n').find((l) => l.startsWith('INT8 full integer'))!;
    expect(int8Row.match(/n\/a \(tfjs-tflite-node is not installed\)/g)).to.have.length(2);
    // The file is still written and measured for size.
    expect(stdout.split('\n').find((l) => l.startsWith('Compression'))).to.match(/([\d,]+ → [\d,]+ \(\d+\.\d\d%\)\s*){2}$/);
  });

  it('without Chromium the INT8 column falls back to TFLite 2.9, says so and names it', async () => {
    const { code, stdout, stderr } = await runApart('no-chromium', { COLLABOPT_CHROMIUM: '/nonexistent/chromium' });
    expect(code, stderr).to.equal(0);
    expect(stderr).to.contain('the INT8 column falls back to TFLite 2.9 (tfjs-tflite-node): Chromium not found at /nonexistent/chromium');
    const int8Row = stdout.split('\n').find((l) => l.startsWith('INT8 full integer'))!;
    expect(int8Row).to.match(/^INT8 full integer \(TFLite 2\.9\)\s+\d+\.\d\d%\s+\d+\.\d\d%$/);
  });

  it('data that does not fit the model is a clear error with exit code 2, before anything trains', async () => {
    const r = await cli(dir, 'run', 'wrong-input.json', '--out', 'out');
    expect(r.code).to.equal(2);
    expect(r.err).to.match(/collabopt run: recipe 'wrong-input': the data does not fit the model: training inputs \(train\.xs\) have shape \[1000, 28, 28, 1\].*input shape is \[any, 32, 32, 3\]/);
    expect(await fs.readdir(path.join(dir, 'out', 'wrong-input', 'stages')).catch(() => [])).to.deep.equal([]);
  });

  it('an export the model cannot be written as is exit code 2 before anything trains, listing the offending layers', async () => {
    const recipe = { ...TINY, name: 'custom-layer', model: { module: path.join(__dirname, 'customLayerModel.ts') } };
    await fs.writeFile(path.join(dir, 'custom-layer.json'), JSON.stringify(recipe));
    const r = await cli(dir, 'run', 'custom-layer.json', '--out', 'out');
    expect(r.code, r.err).to.equal(2);
    expect(r.err).to.match(/collabopt run: recipe 'custom-layer', exports\[0\] \(tflite int8\): TFLite export: 1 layer\(s\) of model '.*' cannot be exported:\n  - 'half' \(HalfScale\): no TFLite lowering for layer class HalfScale/);
    expect(r.err).to.not.match(/unexpected failure|✓ baseline/);
    expect(await fs.readdir(path.join(dir, 'out', 'custom-layer', 'stages')).catch(() => [])).to.deep.equal([]);
  });

  it('an int8 export of a model whose GRU TFLite holds only in float is exit code 2 before anything trains, naming the GRU', async () => {
    const recipe = { ...TINY, name: 'gru-int8', model: { module: path.join(__dirname, 'gruModel.ts') }, exports: [{ format: 'tflite', mode: 'float32' }, { format: 'tflite', mode: 'int8' }] };
    await fs.writeFile(path.join(dir, 'gru-int8.json'), JSON.stringify(recipe));
    const r = await cli(dir, 'run', 'gru-int8.json', '--out', 'out');
    expect(r.code, r.err).to.equal(2);
    expect(r.err).to.match(/collabopt run: recipe 'gru-int8', exports\[1\] \(tflite int8\): TFLite export: 1 layer\(s\) of model '.*' cannot be exported:\n  - 'gru' \(GRU\): not in int8: /);
    expect(r.err).to.not.match(/unexpected failure|✓ baseline/);
    expect(await fs.readdir(path.join(dir, 'out', 'gru-int8', 'stages')).catch(() => [])).to.deep.equal([]);
  });

  it('without TFLite exports, such a model trains and each stage line says INT8 n/a with the reason once', async () => {
    const recipe = {
      ...TINY,
      name: 'custom-layer-tfjs',
      model: { module: path.join(__dirname, 'customLayerModel.ts') },
      stages: [TINY.stages[0]],
      exports: [{ format: 'tfjs' }],
    };
    await fs.writeFile(path.join(dir, 'custom-layer-tfjs.json'), JSON.stringify(recipe));
    const r = await cli(dir, 'run', 'custom-layer-tfjs.json', '--out', 'out');
    expect(r.code, r.err).to.equal(0);
    const lines = r.err.split('\n').filter((l) => /✓ baseline/.test(l));
    expect(lines).to.have.length(2);
    for (const line of lines) {
      expect(line).to.match(/INT8 n\/a \(not exportable to TFLite: 'half' \(HalfScale\)\)  n\/a  /);
      expect(line.match(/HalfScale/g)).to.have.length(1);
    }
  });

  it('inspect shows a .tflite file and a stage directory; anything else is exit code 2', async () => {
    const tflite = await cli(dir, 'inspect', 'out/tiny/model-int8.tflite', '--no-tensors');
    expect(tflite.code, tflite.err).to.equal(0);
    expect(tflite.out).to.match(/TFLite schema v3/);
    expect(tflite.out).to.match(/weights:\n.*tensor.*sparsity.*distinct/);
    expect(tflite.out).to.not.contain('tensors (');

    const stage = await cli(dir, 'inspect', 'out/tiny/stages/01-prune');
    expect(stage.code, stage.err).to.equal(0);
    expect(stage.out).to.match(/tfjs Layers model ".*", 7 layers/);
    expect(stage.out).to.match(/optimization state: .*prune/);
    expect(stage.out).to.match(/conv2\/kernel\s+\[3, 3, 8, 16\]\s+1,152\s+50\.00%.*sparsity/);
    expect(stage.out).to.match(/stage baseline → prune of recipe tiny: FP32 top-1 \d/);
    const json = JSON.parse((await cli(dir, 'inspect', 'out/tiny/model-int8.tflite', '--json')).out) as { kind: string; weights: unknown[] };
    expect(json.kind).to.equal('tflite');
    expect(json.weights).to.have.length(4);

    for (const bad of ['tiny.json', 'out', 'missing.tflite']) {
      const r = await cli(dir, 'inspect', bad);
      expect(r.code, bad).to.equal(2);
      expect(r.err, bad).to.match(/collabopt inspect: .*(not a TFLite model|without model\.json|does not exist)/);
    }
  });

  it('explore needs a target and well-formed ones; unknown options get a suggestion', async () => {
    const none = await cli(dir, 'explore', 'tiny.json');
    expect([none.code, none.err]).to.deep.equal([2, 'collabopt explore: give at least one target: --max-accuracy-drop, --max-size or --max-latency\nRun "collabopt explore --help" for usage.']);
    const size = await cli(dir, 'explore', '--max-size', 'ten');
    expect(size.code).to.equal(2);
    expect(size.err).to.contain('--max-size takes deflated bytes');
    const typo = await cli(dir, 'run', 'tiny.json', '--resum');
    expect(typo.code).to.equal(2);
    expect(typo.err).to.contain('unknown option --resum (did you mean --resume?)');
  });
});
