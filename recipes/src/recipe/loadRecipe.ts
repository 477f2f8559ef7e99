import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fashionMnist } from '../data/fashionMnist';
import { mnistFiles } from '../datasets/mnistFiles';
import { RecipeValidationError, type RecipeIssue } from '../errors/RecipeValidationError';
import { parseRecipeJson } from './parseRecipeJson';
import type { DataSource, ModelSource, Recipe } from './Recipe';
import { validateRecipe } from './validateRecipe';

/**
 * Reads, parses and validates a recipe file, then resolves the files it references: relative
 * `model.module`, `model.path`, `data.module` and `data.dir` become absolute (relative to the
 * recipe file's directory), and each must exist — a module as a file, a saved model as a
 * directory with `model.json`, a dataset directory with its four IDX files; Fashion-MNIST
 * without `dir` needs Debian's `dataset-fashion-mnist`. Nothing is written.
 *
 * @param file - the recipe file (absolute, or relative to the working directory).
 * @returns the validated recipe with defaults filled in and absolute paths.
 * @throws RecipeValidationError for an unreadable file, a JSON syntax error (with line and
 *   column), schema and cross-field issues, and missing referenced files — each issue with its
 *   JSON pointer and a plain message.
 */
export async function loadRecipe(file: string): Promise<Recipe> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new RecipeValidationError([{ path: '', message: `cannot read the recipe file ${path.resolve(file)}: ${why}` }], file);
  }
  const recipe = validateRecipe(parseRecipeJson(text, file), file);
  const base = path.dirname(path.resolve(file));
  const issues: RecipeIssue[] = [];
  const model = await resolveModel(recipe.model, base, issues);
  const data = await resolveData(recipe.data, base, issues);
  if (issues.length > 0) throw new RecipeValidationError(issues, file);
  return { ...recipe, model, data };
}

async function resolveModel(source: ModelSource, base: string, issues: RecipeIssue[]): Promise<ModelSource> {
  if ('module' in source) {
    const module = path.resolve(base, source.module);
    if (!(await isFile(module))) issues.push({ path: '/model/module', message: await moduleNotFound(module, base) });
    return { module };
  }
  if ('path' in source) {
    const dir = path.resolve(base, source.path);
    if (!(await isDirectory(dir))) issues.push({ path: '/model/path', message: notFound('model directory', dir, base) });
    else if (!(await isFile(path.join(dir, 'model.json')))) {
      issues.push({ path: '/model/path', message: `${dir} is not a saved tfjs model: it has no model.json` });
    }
    return { path: dir };
  }
  return source;
}

async function resolveData(source: DataSource, base: string, issues: RecipeIssue[]): Promise<DataSource> {
  if ('module' in source) {
    const module = path.resolve(base, source.module);
    if (!(await isFile(module))) issues.push({ path: '/data/module', message: await moduleNotFound(module, base) });
    return { ...source, module };
  }
  if (source.dir !== undefined) {
    const dir = path.resolve(base, source.dir);
    if (!(await isDirectory(dir))) issues.push({ path: '/data/dir', message: notFound('dataset directory', dir, base) });
    else {
      const { missing } = mnistFiles(dir);
      if (missing.length > 0) issues.push({ path: '/data/dir', message: `${dir} lacks the IDX files ${missing.join(', ')} (plain or .gz)` });
    }
    return { ...source, dir };
  }
  if (source.dataset === 'fashion-mnist') {
    const { missing } = mnistFiles(fashionMnist.dir);
    if (missing.length > 0) issues.push({ path: '/data/dataset', message: fashionMnist.notInstalled(missing) });
  }
  return source;
}

/** Module paths are file names: `./model` is not looked up as `./model.js`, but suggested. */
async function moduleNotFound(module: string, base: string): Promise<string> {
  for (const ext of ['.js', '.cjs', '.mjs', '.ts']) {
    if (await isFile(module + ext)) return `${notFound('module file', module, base)}; did you mean ${path.basename(module + ext)}?`;
  }
  return notFound('module file', module, base);
}

function notFound(what: string, target: string, base: string): string {
  return `${what} not found: ${target} (relative paths are relative to the recipe's directory, ${base})`;
}

async function isFile(p: string): Promise<boolean> {
  return fs.stat(p).then((s) => s.isFile(), () => false);
}

async function isDirectory(p: string): Promise<boolean> {
  return fs.stat(p).then((s) => s.isDirectory(), () => false);
}
