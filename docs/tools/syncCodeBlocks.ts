/**
 * Rewrites the included code blocks of the docs from their example files, and the files derived
 * from the plugins' option schemas (their option types and README option tables).
 *
 *   npm run docs:sync            rewrite stale blocks and files
 *   npm run docs:sync -- --check list stale blocks and files and exit 1 if there are any
 *
 * See codeBlocks.ts and pluginOptionFiles.ts for the conventions.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { markdownFiles, REPO_ROOT, syncIncludes } from './codeBlocks';
import { pluginOptionFiles } from './pluginOptionFiles';

const check = process.argv.includes('--check');
let stale = 0;
for (const file of markdownFiles()) {
  const text = fs.readFileSync(file, 'utf8');
  const next = syncIncludes(file, text);
  if (next === text) continue;
  stale++;
  const name = path.relative(REPO_ROOT, file);
  if (check) {
    console.log(`stale: ${name}`);
  } else {
    fs.writeFileSync(file, next);
    console.log(`updated: ${name}`);
  }
}
for (const { path: name, text } of pluginOptionFiles()) {
  const file = path.join(REPO_ROOT, name);
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) continue;
  stale++;
  if (check) {
    console.log(`stale: ${name}`);
  } else {
    fs.writeFileSync(file, text);
    console.log(`updated: ${name}`);
  }
}
if (check && stale > 0) process.exitCode = 1;
if (stale === 0) console.log('every included code block and every file derived from the option schemas is current');
