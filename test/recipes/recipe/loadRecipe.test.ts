import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import { loadRecipe } from '../../../recipes/src/recipe/loadRecipe';
import { RecipeValidationError } from '../../../recipes/src/errors/RecipeValidationError';
import { MNIST_FILE_NAMES } from '../../../recipes/src/datasets/mnistFiles';

// The error corpus (syntax, schema, missing files) is test/recipes/malformedRecipes.test.ts; this
// file holds what loadRecipe itself adds: reading the file and resolving the paths it references.

const stages = [{ name: 'qat', plugins: [{ plugin: 'quantize' }], epochs: 1 }];

async function rejection(p: Promise<unknown>): Promise<RecipeValidationError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).to.be.instanceOf(RecipeValidationError);
  return e as RecipeValidationError;
}

describe('loadRecipe', () => {
  let dir: string;
  const write = async (rel: string, content: string) => {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), content);
  };
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'collabopt-loadrecipe-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('resolves model and data paths against the recipe file’s directory, whatever the working directory', async () => {
    await write('models/saved/model.json', '{}');
    await write('data/make.js', 'module.exports = {}');
    await write('recipes/r.json', JSON.stringify({ name: 'r', model: { path: '../models/saved' }, data: { module: '../data/make.js' }, stages }));
    const recipe = await loadRecipe(path.relative(process.cwd(), path.join(dir, 'recipes', 'r.json')));
    expect(recipe.model).to.deep.equal({ path: path.join(dir, 'models', 'saved') });
    expect(recipe.data).to.deep.include({ module: path.join(dir, 'data', 'make.js') });
  });

  it('a model module and a dataset directory with the four IDX files (plain or .gz) resolve too; absolute paths stay', async () => {
    await write('m.ts', 'export {}');
    const idx = path.join(dir, 'idx');
    const names = [...MNIST_FILE_NAMES.train, ...MNIST_FILE_NAMES.test];
    for (const [i, n] of names.entries()) await write(path.join('idx', i % 2 ? `${n}.gz` : n), '');
    await write('r.json', JSON.stringify({ name: 'r', model: { module: './m.ts' }, data: { dataset: 'mnist', dir: idx }, baseline: { epochs: 1 }, stages }));
    const recipe = await loadRecipe(path.join(dir, 'r.json'));
    expect(recipe.model).to.deep.equal({ module: path.join(dir, 'm.ts') });
    expect(recipe.data).to.deep.include({ dataset: 'mnist', dir: idx });
  });

  it('returns the validated recipe with defaults filled in; built-in sources are left as given', async () => {
    await write('r.json', JSON.stringify({ name: 'r', model: { builtin: 'mnist-cnn' }, data: { dataset: 'mnist' }, baseline: { epochs: 1 }, stages }));
    const recipe = await loadRecipe(path.join(dir, 'r.json'));
    expect(recipe.model).to.deep.equal({ builtin: 'mnist-cnn' });
    expect(recipe.name).to.equal('r');
    expect(recipe.stages[0]!.name).to.equal('qat');
    expect(recipe.seed, 'a default the schema fills').to.be.a('number');
  });

  it('an unreadable file: one issue at the recipe with the absolute path and why', async () => {
    const missing = await rejection(loadRecipe(path.join(dir, 'nope.json')));
    expect(missing.issues).to.deep.equal([{ path: '', message: `cannot read the recipe file ${path.join(dir, 'nope.json')}: no such file` }]);
    expect(missing.source).to.equal(path.join(dir, 'nope.json'));
    const directory = await rejection(loadRecipe(dir));
    expect(directory.issues[0]!.message).to.equal(`cannot read the recipe file ${dir}: it is a directory`);
  });

  it('every missing reference is reported at once, with the resolved path and the directory it is relative to', async () => {
    await write('r.json', JSON.stringify({ name: 'r', model: { path: 'gone' }, data: { dataset: 'mnist', dir: 'idx' }, baseline: { epochs: 1 }, stages }));
    await fs.mkdir(path.join(dir, 'idx'));
    await write(path.join('idx', 'train-images-idx3-ubyte.gz'), '');
    const e = await rejection(loadRecipe(path.join(dir, 'r.json')));
    expect(e.issues).to.deep.equal([
      { path: '/model/path', message: `model directory not found: ${path.join(dir, 'gone')} (relative paths are relative to the recipe's directory, ${dir})` },
      { path: '/data/dir', message: `${path.join(dir, 'idx')} lacks the IDX files train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (plain or .gz)` },
    ]);
  });

  it('schema issues are reported before files are looked at (a bad recipe is not half-resolved)', async () => {
    await write('r.json', JSON.stringify({ name: 'r', model: { path: 'gone' }, data: { dataset: 'mnist' }, stages: [] }));
    const e = await rejection(loadRecipe(path.join(dir, 'r.json')));
    expect(e.issues.map((i) => i.path)).to.include('/stages');
    expect(e.issues.map((i) => i.path)).to.not.include('/model/path');
  });
});
