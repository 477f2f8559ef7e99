/**
 * The `collabopt` executable as npm links it. npm links a workspace's bins before the root
 * `prepare` script compiles `dist/`, and skips a bin whose file does not exist yet — so on a fresh
 * clone a bin pointing into `dist/` is never linked and `npx collabopt` asks the registry instead.
 */
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');
const RECIPES = path.join(ROOT, 'recipes');

describe('recipes bin/collabopt.js', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(RECIPES, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] };
  const target = path.join(RECIPES, pkg.bin.collabopt);

  it('is a committed file outside dist/, shipped in the package and executable', () => {
    expect(path.relative(RECIPES, target).split(path.sep)[0]).to.not.equal('dist');
    const tracked = execFileSync('git', ['ls-files', '--error-unmatch', path.relative(ROOT, target)], { cwd: ROOT, encoding: 'utf8' });
    expect(tracked.trim()).to.equal(path.relative(ROOT, target));
    expect(pkg.files).to.include(path.relative(RECIPES, target).split(path.sep)[0]);
    expect(fs.statSync(target).mode & 0o111, 'executable bits').to.not.equal(0);
    expect(fs.readFileSync(target, 'utf8').startsWith('#!/usr/bin/env node\n')).to.equal(true);
  });

  it('runs the CLI: --help exits 0 and an unknown command exits 2', () => {
    const help = spawnSync(process.execPath, [target, '--help'], { encoding: 'utf8' });
    expect(help.status, help.stderr).to.equal(0);
    expect(help.stdout).to.match(/^Usage: collabopt <command>/);
    const bad = spawnSync(process.execPath, [target, 'no-such-command'], { encoding: 'utf8' });
    expect(bad.status).to.equal(2);
    expect(bad.stderr).to.match(/no-such-command/);
  });
});
