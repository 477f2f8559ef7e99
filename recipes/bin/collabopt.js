#!/usr/bin/env node
// The `collabopt` executable as npm links it (package.json `bin`). It is a committed file rather
// than the compiled `dist/cli/main.js` because npm links a workspace's bins before the root
// `prepare` script compiles `dist/`: a bin pointing into `dist/` is skipped on a fresh clone, and
// `npx collabopt` then asks the registry for a package of that name.
'use strict';
let cli;
try {
  cli = require('../dist/cli/main.js');
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes('dist/cli/main.js')) {
    process.stderr.write('collabopt: the CLI is not compiled yet; run `npm run build` at the repository root\n');
    process.exit(2);
  }
  throw err;
}
void cli.main();
