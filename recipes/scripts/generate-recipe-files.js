#!/usr/bin/env node
// Regenerates the files derived from the recipe schema's TypeScript source (recipes/src/schema):
//
//   node recipes/scripts/generate-recipe-files.js           # rewrite them
//   node recipes/scripts/generate-recipe-files.js --check   # exit 1 if a committed one is stale
//
// The files: recipes/schema/recipe.schema.json (the published JSON Schema that recipes point
// "$schema" at) and docs/recipes-reference.md (the reference, every field with type, default and
// example). Run it after changing a schema fragment or a plugin's optionsSchema; the test
// test/recipes/generatedFiles.test.ts fails until you do.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');

// The sources are TypeScript and import @collabopt/* by package name: run under ts-node with the
// `source` export condition (as mocha does), so the plugins' current schemas are used, not a
// possibly stale build.
if (!process.execArgv.includes('--conditions=source')) {
  const r = spawnSync(process.execPath, ['--conditions=source', '-r', 'ts-node/register', __filename, ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'tsconfig.json') },
  });
  process.exit(r.status === null ? 1 : r.status);
}

const { generatedRecipeFiles } = require('../src/schema/generatedRecipeFiles');
const check = process.argv.includes('--check');
let stale = 0;
for (const file of generatedRecipeFiles()) {
  const target = path.join(root, file.path);
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : null;
  if (check) {
    if (current !== file.text) {
      console.error(`generate-recipe-files: ${file.path} is stale; run node recipes/scripts/generate-recipe-files.js`);
      stale++;
    }
  } else if (current !== file.text) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.text);
    console.log(`wrote ${file.path}`);
  } else {
    console.log(`${file.path} is up to date`);
  }
}
process.exit(stale > 0 ? 1 : 0);
