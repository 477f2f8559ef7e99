#!/usr/bin/env node
// `npm run bench -- <name> [args...]` runs bench/<name>.ts against the package sources
// (same `source` export condition as the tests). Benchmarks print ratios measured side by side
// in one process, as a table; they are never part of `npm test`.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const [name, ...args] = process.argv.slice(2);
const available = fs.readdirSync(__dirname).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name>\n  benchmarks: ${available.join(', ') || '(none yet)'}`);
  process.exit(2);
}
const r = spawnSync(process.execPath,
  ['--conditions=source', '-r', 'ts-node/register', path.join(__dirname, `${name}.ts`), ...args],
  { stdio: 'inherit', cwd: path.join(__dirname, '..') });
process.exit(r.status ?? 1);
