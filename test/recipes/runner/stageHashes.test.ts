import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Recipe } from '../../../recipes/src/recipe/Recipe';
import { stageHashes } from '../../../recipes/src/runner/stageHashes';

const LIBRARY = path.join(__dirname, '../../../recipes/library');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- edits reach arbitrarily deep into recipe JSON
type RecipeJson = Record<string, any>;

/** A deep copy of a library recipe, to edit. */
function recipe(name = 'prune-pqat'): RecipeJson {
  return JSON.parse(fs.readFileSync(path.join(LIBRARY, `${name}.json`), 'utf8'));
}

const hashesOf = (r: RecipeJson, baseDir: string) => stageHashes(r as Recipe, baseDir);

describe('stageHashes', () => {
  const base = '/work/recipes';

  it('gives one hash for the baseline and one per stage, equal for equal recipes', () => {
    const r = recipe();
    const hashes = hashesOf(r, base);
    expect(hashes).to.have.length(1 + r.stages.length);
    expect(new Set(hashes).size).to.equal(hashes.length);
    expect(hashesOf(recipe(), base)).to.deep.equal(hashes);
  });

  it('ignores key order, names, descriptions, exports and backend: they do not change what a stage computes', () => {
    const r = recipe();
    const hashes = hashesOf(r, base);
    const edited = recipe();
    edited.name = 'renamed';
    edited.description = 'other words';
    edited.exports = [];
    edited.backend = 'cpu';
    const stage0 = edited.stages[0];
    stage0.name = 'other';
    stage0.description = 'other';
    // Same content, keys in reverse order.
    edited.stages[0] = Object.fromEntries(Object.entries(stage0).reverse());
    expect(hashesOf(edited, base)).to.deep.equal(hashes);
  });

  it('chains: editing stage i changes hashes i.. and keeps the ones before', () => {
    const r = recipe();
    const hashes = hashesOf(r, base);
    const edited = recipe();
    edited.stages[1].epochs = 99;
    const after = hashesOf(edited, base);
    expect(after.slice(0, 2)).to.deep.equal(hashes.slice(0, 2));
    for (let i = 2; i < hashes.length; i++) expect(after[i], `hash ${i}`).to.not.equal(hashes[i]);
  });

  it('changes every hash when the baseline, the data, the model or the seed change', () => {
    const hashes = hashesOf(recipe(), base);
    const edits: ((r: RecipeJson) => void)[] = [
      (r) => (r.seed = 1),
      (r) => (r.data.trainSamples = 100),
      (r) => (r.baseline.epochs = 1),
      (r) => (r.model = { builtin: 'other-model' }),
    ];
    for (const edit of edits) {
      const r = recipe();
      edit(r);
      const after = hashesOf(r, base);
      after.forEach((h, i) => expect(h, `${edit} hash ${i}`).to.not.equal(hashes[i]));
    }
  });

  it('resolves relative model and data paths against the base folder: the same relative path elsewhere is a different model', () => {
    const r = recipe();
    r.model = { path: 'models/model.json' };
    const here = hashesOf(r, '/a');
    expect(hashesOf(r, '/b')[0]).to.not.equal(here[0]);
    const absolute = recipe();
    absolute.model = { path: '/a/models/model.json' };
    expect(hashesOf(absolute, '/elsewhere')[0]).to.equal(here[0]);
  });
});
