import * as path from 'node:path';
import { RecipeSourceError } from '../errors/RecipeSourceError';

const TYPESCRIPT = /\.(c|m)?tsx?$/;

/**
 * Loads a user module (a recipe's model or data module) with `require`:
 * - `.js`/`.cjs` CommonJS, and ES modules (`.mjs`, or `.js` in a `"type": "module"` package)
 *   without top-level await, which Node >= 20.19 can `require`;
 * - `.ts` when TypeScript can be required: already (mocha or `node -r ts-node/register`), or by
 *   registering ts-node (transpile only) when it can be resolved from the module's directory or
 *   the working directory — ts-node is a devDependency of collabopt's repository, not of the
 *   published package. Otherwise the error says to install ts-node or compile the module.
 *
 * @param file - absolute path of the module.
 * @param what - what the module is for, for error messages, e.g. `'model module'`.
 * @returns the module's exports; for an ES module or a transpiled `export default`, the namespace
 *   (callers look at named exports, then at `default`).
 * @throws RecipeSourceError naming the module and the reason it could not be loaded.
 */
export function requireModule(file: string, what: string): Record<string, unknown> {
  if (TYPESCRIPT.test(file) && !canRequireTypeScript()) registerTsNode(file, what);
  let loaded: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a user's module, loaded by path at run time
    loaded = require(file);
  } catch (e) {
    throw new RecipeSourceError(`cannot load the ${what} ${file}: ${(e as Error).message}`, { cause: e });
  }
  if (loaded === null || (typeof loaded !== 'object' && typeof loaded !== 'function')) {
    throw new RecipeSourceError(`the ${what} ${file} exports ${String(loaded)}, not an object of exports`);
  }
  return loaded as Record<string, unknown>;
}

function canRequireTypeScript(): boolean {
  // `require.extensions` is deprecated for writing, but reading it is the way to ask whether a
  // loader for .ts is installed.
  return Object.prototype.hasOwnProperty.call(require.extensions, '.ts');
}

function registerTsNode(file: string, what: string): void {
  let tsNode: string;
  try {
    tsNode = require.resolve('ts-node', { paths: [path.dirname(file), process.cwd()] });
  } catch {
    throw new RecipeSourceError(
      `the ${what} ${file} is TypeScript, and ts-node is not installed: install it (npm install --save-dev ts-node typescript) or compile the module to JavaScript`,
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- ts-node is optional, found at run time
  (require(tsNode) as { register(options: object): void }).register({ transpileOnly: true, projectSearchDir: path.dirname(file) });
}
