/**
 * Rewrites the included code blocks of the docs from their example files.
 *
 *   npm run docs:sync            rewrite stale blocks
 *   npm run docs:sync -- --check list stale blocks and exit 1 if there are any
 *
 * See codeBlocks.ts for the convention.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { markdownFiles, REPO_ROOT, syncIncludes } from './codeBlocks';

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
if (check && stale > 0) process.exitCode = 1;
if (stale === 0) console.log('every included code block is current');
