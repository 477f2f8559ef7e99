/**
 * The browser-safe entry of @collabopt/recipes (src/index.ts) must not reach Node-only code: no
 * `node:` modules, no `require`, no `process`, in any file it imports.
 */
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';

const SRC = path.join(__dirname, '..', '..', 'recipes', 'src');

/** Every source file reachable from `entry` through relative imports and re-exports. */
function reachable(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  for (const [, spec] of fs.readFileSync(entry, 'utf8').matchAll(/(?:import|export)\s[^;]*?from\s+'([^']+)'/g)) {
    if (spec.startsWith('.')) reachable(path.resolve(path.dirname(entry), `${spec}.ts`), seen);
  }
  return seen;
}

describe('recipes entries', () => {
  it('src/index.ts reaches no Node-only code; src/node.ts re-exports it and adds the file-reading parts', () => {
    const files = reachable(path.join(SRC, 'index.ts'));
    expect(files.size).to.be.above(20);
    const nodeOnly = [...files].filter((f) => /from\s+'node:|\brequire[.(]|\bprocess\./.test(fs.readFileSync(f, 'utf8'))).map((f) => path.relative(SRC, f));
    expect(nodeOnly).to.deep.equal([]);
    const node = reachable(path.join(SRC, 'node.ts'));
    for (const f of ['recipe/loadRecipe.ts', 'data/loadRecipeData.ts', 'models/loadRecipeModel.ts', 'cli/runCli.ts']) {
      expect(files.has(path.join(SRC, f)), f).to.equal(false);
      expect(node.has(path.join(SRC, f)), f).to.equal(true);
    }
  });
});
