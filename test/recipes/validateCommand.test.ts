/**
 * `collabopt validate` and the CLI dispatcher. Most cases call `runCli` in-process with an `io`
 * that records the lines: fast, and every branch (exit codes, messages, help) is reachable, incl.
 * an unexpected failure from an injected command. One case spawns the real entry
 * (`recipes/src/cli/main.ts` under ts-node, as `npx collabopt` runs dist/cli/main.js) to prove the
 * wiring: arguments, stdout and the process exit code.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CollabError } from '@collabopt/core';
import type { CliCommand } from '../../recipes/src/cli/CliCommand';
import type { CliIo } from '../../recipes/src/cli/CliIo';
import { runCli } from '../../recipes/src/cli/runCli';
import { validateCommand } from '../../recipes/src/cli/commands/validateCommand';
import { RecipeValidationError } from '../../recipes/src/errors/RecipeValidationError';
import { validateRecipe } from '../../recipes/src/recipe/validateRecipe';

const ROOT = path.join(__dirname, '..', '..');
const LIBRARY = path.join(ROOT, 'recipes', 'library');

/** An io that records what the command prints, run from `cwd`. */
function recorder(cwd = ROOT): CliIo & { readonly stdout: string[]; readonly stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, cwd, out: (line) => stdout.push(line), err: (line) => stderr.push(line) };
}

/** Every file below `dir`, with its size and modification time. */
function snapshot(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).map((d) => {
    const file = path.join(d.parentPath, d.name);
    const st = fs.statSync(file);
    return `${file} ${st.size} ${st.mtimeMs}`;
  });
}

describe('collabopt validate', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collabopt-validate-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- edits reach arbitrarily deep into recipe JSON
  function writeRecipe(name: string, edit: (r: Record<string, any>) => void): string {
    const recipe = JSON.parse(fs.readFileSync(path.join(LIBRARY, 'prune-pqat.json'), 'utf8'));
    edit(recipe);
    const file = path.join(tmp, name);
    fs.writeFileSync(file, JSON.stringify(recipe, null, 2));
    return file;
  }

  it('exits 0 for valid recipes and says what each contains', async () => {
    const io = recorder();
    const code = await runCli(['validate', 'recipes/library/prune-pqat.json', 'recipes/library/ptq-int8.json'], io);
    expect(code).to.equal(0);
    expect(io.stdout).to.deep.equal([
      'recipes/library/prune-pqat.json: valid — prune-pqat: 2 stages (prune → pqat), 2 exports',
      'recipes/library/ptq-int8.json: valid — ptq-int8: 1 stage (ptq), 2 exports',
    ]);
    expect(io.stderr).to.deep.equal([]);
  });

  it('exits 2 for an invalid recipe and prints every issue as "path: message"; writes nothing', async () => {
    const bad = writeRecipe('bad.json', (r) => {
      r.stages[0].plugins[0].finalSparsity = 1.5;
      r.stages[1].plugins[0].plugin = 'sparsityConstrain';
      r.exports[1].mode = 'int8';
    });
    const before = snapshot(tmp);
    const io = recorder(tmp);
    const code = await runCli(['validate', 'bad.json'], io);
    expect(code).to.equal(2);
    expect(io.stdout).to.deep.equal([
      'bad.json: invalid recipe (3 issues)',
      '  /stages/0/plugins/0/finalSparsity: expected a number < 1, found 1.5',
      '  /stages/1/plugins/0/plugin: unknown plugin "sparsityConstrain" (did you mean "sparsityConstraint"?); expected one of "prune", "sparsityConstraint", "cluster", "quantize"',
      '  /exports/1/file: writes "model-int8.tflite", as /exports/0 does already (names are compared ignoring case); give one of them another "file"',
    ]);
    expect(snapshot(tmp)).to.deep.equal(before);
    expect(bad).to.satisfy((f: string) => fs.existsSync(f));
  });

  it('exits 2 for absurdly deep nesting, saying so and where, instead of overflowing the stack', async () => {
    fs.writeFileSync(path.join(tmp, 'deep.json'), `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    const io = recorder(tmp);
    const code = await runCli(['validate', 'deep.json'], io);
    expect(code).to.equal(2);
    expect(io.stdout).to.deep.equal([
      'deep.json: invalid recipe (1 issue)',
      '  /0/0/0/0/…(94 more levels)…/0/0: nesting too deep: more than 100 levels of arrays and objects at line 1, column 101 (a recipe needs fewer than 10)',
    ]);
    // Built in code (no parser): validateRecipe refuses it too, before structuredClone or ajv.
    let value: unknown = {};
    for (let i = 0; i < 100_000; i++) value = { stages: value };
    expect(() => validateRecipe(value, 'built')).to.throw(RecipeValidationError, /^built: invalid recipe \(1 issue\)\n  \/stages\/stages\/stages\/stages\/…\(94 more levels\)…\/stages\/stages: nesting too deep/);
    // A real recipe nests about 6 levels; 100 still validates as far as nesting goes.
    let ok: unknown = 1;
    for (let i = 0; i < 99; i++) ok = [ok];
    expect(() => validateRecipe({ name: 'x', deep: ok }, 'ok')).to.throw(RecipeValidationError).that.satisfies((e: Error) => !/nesting too deep/.test(e.message));
  });

  it('exits 2 for a missing recipe file or a missing referenced file, naming the file', async () => {
    const io = recorder(tmp);
    expect(await runCli(['validate', 'nope.json'], io)).to.equal(2);
    expect(io.stdout).to.deep.equal(['nope.json: invalid recipe (1 issue)', `  (recipe): cannot read the recipe file ${path.join(tmp, 'nope.json')}: no such file`]);

    writeRecipe('module.json', (r) => (r.data = { module: './data.js' }));
    const io2 = recorder(tmp);
    expect(await runCli(['validate', 'module.json'], io2)).to.equal(2);
    expect(io2.stdout[1]).to.equal(`  /data/module: module file not found: ${path.join(tmp, 'data.js')} (relative paths are relative to the recipe's directory, ${tmp})`);
  });

  it('checks every file given, exits 2 if any is invalid, and prints JSON with --json', async () => {
    const bad = writeRecipe('bad.json', (r) => (r.stages[0].epochs = -1));
    const io = recorder();
    expect(await runCli(['validate', '--json', path.join(LIBRARY, 'qat.json'), bad], io)).to.equal(2);
    expect(JSON.parse(io.stdout.join('\n'))).to.deep.equal([
      { file: path.join(LIBRARY, 'qat.json'), valid: true, issues: [] },
      { file: bad, valid: false, issues: [{ path: '/stages/0/epochs', message: 'expected an integer >= 0, found -1' }] },
    ]);
  });

  it('exits 2 on usage errors: no file, an unknown option (did you mean), an unknown command (did you mean), no command', async () => {
    const none = recorder();
    expect(await runCli(['validate'], none)).to.equal(2);
    expect(none.stderr).to.deep.equal(['collabopt validate: give at least one recipe file', 'Run "collabopt validate --help" for usage.']);

    const option = recorder();
    expect(await runCli(['validate', '--jsn', 'x.json'], option)).to.equal(2);
    expect(option.stderr[0]).to.equal('collabopt validate: unknown option --jsn (did you mean --json?)');

    // Only `validate` registered, so the list of commands in the message is known.
    const command = recorder();
    expect(await runCli(['valdate', 'x.json'], command, [validateCommand])).to.equal(2);
    expect(command.stderr).to.deep.equal(['collabopt: unknown command "valdate" (did you mean "validate"?); commands: validate. Run "collabopt --help".']);

    const far = recorder();
    expect(await runCli(['deploy'], far, [validateCommand])).to.equal(2);
    expect(far.stderr[0]).to.match(/^collabopt: unknown command "deploy"; commands: validate\./);

    const nothing = recorder();
    expect(await runCli([], nothing)).to.equal(2);
    expect(nothing.stderr[0]).to.match(/^Usage: collabopt <command>/);
  });

  it('prints help (exit 0): --help lists the commands, <command> --help and help <command> print its usage', async () => {
    const top = recorder();
    expect(await runCli(['--help'], top, [validateCommand])).to.equal(0);
    expect(top.stdout.join('\n')).to.match(/Commands:\n {2}validate {2}check recipes against the recipe schema/);
    for (const argv of [['validate', '--help'], ['help', 'validate'], ['validate', 'x.json', '-h']]) {
      const io = recorder();
      expect(await runCli(argv, io), argv.join(' ')).to.equal(0);
      expect(io.stdout.join('\n')).to.match(/^Usage: collabopt validate <recipe\.json>\.\.\. \[--json\]/);
    }
    const version = recorder();
    expect(await runCli(['--version'], version)).to.equal(0);
    expect(version.stdout[0]).to.match(/^collabopt \d+\.\d+\.\d+/);
  });

  it('maps what a command throws: input errors exit 2 with the message, anything else exits 1 with the stack', async () => {
    const throwing = (error: unknown): CliCommand => ({ name: 'boom', summary: 's', usage: 'u', run: async () => { throw error; } });
    const input = recorder();
    expect(await runCli(['boom'], input, [throwing(new CollabError('recipe-source', 'no such dataset'))])).to.equal(2);
    expect(input.stderr).to.deep.equal(['collabopt boom: no such dataset']);
    const bug = recorder();
    expect(await runCli(['boom'], bug, [throwing(new TypeError('x is undefined'))])).to.equal(1);
    expect(bug.stderr[0]).to.match(/^collabopt boom: unexpected failure: TypeError: x is undefined\n {4}at /);
    const returned = recorder();
    expect(await runCli(['boom', 'a'], returned, [{ name: 'boom', summary: 's', usage: 'u', run: async (args) => args.length + 40 }])).to.equal(41);
  });

  it('runs as a program: the entry prints to stdout and sets the exit code', function () {
    this.timeout(60_000);
    const bad = writeRecipe('bad.json', (r) => (r.stgaes = []));
    const r = spawnSync(process.execPath, ['--conditions=source', '-r', require.resolve('ts-node/register'), path.join(ROOT, 'recipes', 'src', 'cli', 'main.ts'), 'validate', path.join(LIBRARY, 'qat.json'), bad], {
      cwd: tmp,
      encoding: 'utf8',
      env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') },
    });
    expect(r.status, r.stderr).to.equal(2);
    expect(r.stdout.split('\n')).to.include.members([
      `${path.join(LIBRARY, 'qat.json')}: valid — qat: 1 stage (qat), 2 exports`,
      `${bad}: invalid recipe (1 issue)`,
      '  /stgaes: unknown key "stgaes" (did you mean "stages"?); expected one of "$schema", "name", "description", "seed", "backend", "model", "data", "baseline", "stages", "exports"',
    ]);
    expect(fs.readFileSync(path.join(ROOT, 'recipes', 'src', 'cli', 'main.ts'), 'utf8')).to.match(/^#!\/usr\/bin\/env node\n/);
  });
});
