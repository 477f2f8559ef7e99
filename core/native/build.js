#!/usr/bin/env node
// Builds collabopt's native training kernels at `npm install` (core's "install" script).
//
// Compiles core/native/src with node-gyp, the machine's C++ compiler and the headers of the Node
// that runs this script (never downloaded). Install must never fail because of it: on any
// failure this prints one warning line, writes the reason to build/UNAVAILABLE (which the loader
// reports through selectBackend) and exits 0; collabopt then trains on its wasm kernels.
// COLLABOPT_NATIVE_BUILD=0 skips the build (the reason file says so).
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const here = __dirname;
const buildDir = path.join(here, 'build');
const marker = path.join(buildDir, 'UNAVAILABLE');

function unavailable(reason) {
  fs.mkdirSync(buildDir, { recursive: true });
  fs.writeFileSync(marker, `${reason}\n`);
  console.warn(`collabopt: native training kernels not built (${reason}); training uses the wasm kernels.`);
  process.exit(0);
}

/** Node's own headers: npm's nodedir setting, else the include/node next to the running node. */
function nodeDir() {
  const candidates = [process.env.npm_config_nodedir, path.resolve(path.dirname(process.execPath), '..')];
  for (const dir of candidates) {
    if (dir && fs.existsSync(path.join(dir, 'include', 'node', 'node_api.h'))) return dir;
  }
  return undefined;
}

/** node-gyp's entry: the one npm runs scripts with, else npm's bundled copy, else a local one. */
function nodeGyp() {
  const fromNpm = process.env.npm_config_node_gyp;
  if (fromNpm && fs.existsSync(fromNpm)) return fromNpm;
  const tries = [];
  if (process.env.npm_execpath) tries.push(path.resolve(path.dirname(process.env.npm_execpath), '..'));
  tries.push(path.resolve(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm'));
  tries.push(here);
  for (const base of tries) {
    try {
      return require.resolve('node-gyp/bin/node-gyp.js', { paths: [base] });
    } catch {
      // next candidate
    }
  }
  return undefined;
}

function main() {
  if (process.env.COLLABOPT_NATIVE_BUILD === '0') unavailable('COLLABOPT_NATIVE_BUILD=0 skipped the build');
  const dir = nodeDir();
  if (dir == null) unavailable(`Node's headers (include/node/node_api.h) were not found next to ${process.execPath}`);
  const gyp = nodeGyp();
  if (gyp == null) unavailable('node-gyp was not found (it ships with npm)');
  fs.rmSync(marker, { force: true });
  const started = Date.now();
  const r = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${dir}`, '--jobs=max'], {
    cwd: here,
    encoding: 'utf8',
    env: { ...process.env, npm_config_nodedir: dir },
  });
  if (r.error != null || r.status !== 0) {
    const out = `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
    const lines = out.split('\n').map((l) => l.trim()).filter((l) => /error|not found|ERR!/i.test(l) && !/^gyp ERR! (stack|System|command|cwd|node -v|node-gyp -v|not ok)/.test(l));
    const why = r.error != null ? r.error.message : lines.slice(0, 2).join(' / ') || `node-gyp exited with ${r.status}`;
    unavailable(`build failed: ${why}`);
  }
  console.log(`collabopt: native training kernels built in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
}

main();
