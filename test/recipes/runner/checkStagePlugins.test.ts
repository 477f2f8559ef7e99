/**
 * runRecipe makes every stage's plugins before the baseline trains: a custom plugin factory
 * (`RunOptions.plugins`, which schema validation cannot know) that rejects a later stage's
 * options, or a plugin name the map lacks, fails with RecipeInputError (exit 2) naming the recipe,
 * stage and entry, and nothing is trained or written.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { definePlugin } from '@collabopt/core';
import { RecipeInputError } from '../../../recipes/src/errors/RecipeInputError';
import type { Recipe } from '../../../recipes/src/recipe/Recipe';
import { runRecipe } from '../../../recipes/src/runner/runRecipe';
import { createStagePlugins } from '../../../recipes/src/runner/createStagePlugins';
import { recipePlugins, type RecipePluginFactory } from '../../../recipes/src/schema/recipePlugins';
import { BASE, sources, STAGES } from './fixtures';

/** A custom plugin whose option must be a positive number. */
const scale = definePlugin<{ factor: number }>({
  name: 'scale',
  optionsSchema: { type: 'object', properties: { factor: { type: 'number', exclusiveMinimum: 0 } }, required: ['factor'], additionalProperties: false },
  invariants: { establishes: [], preserves: [], requires: [] },
  create: () => ({ apply: () => undefined }),
});

const factories: ReadonlyMap<string, RecipePluginFactory> = new Map([...recipePlugins, ['scale', scale as unknown as RecipePluginFactory]]);

function recipe(later: Recipe['stages'][number]): Recipe {
  return { name: 'custom', ...BASE, stages: [STAGES.prune, later] };
}

describe('runRecipe checks every stage plugin before the baseline trains', function () {
  this.timeout(60_000);
  let root: string;
  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'collabopt-stage-plugins-'));
  });
  after(async () => fs.rm(root, { recursive: true, force: true }));

  const cases: [string, Recipe['stages'][number], RegExp][] = [
    ["a custom plugin's rejected option", { name: 'scaled', plugins: [{ plugin: 'scale', factor: -1 }], epochs: 1 }, /stage 'scaled', plugins\[0\] \('scale'\).*factor/s],
    ['a plugin the factories lack', { name: 'odd', plugins: [{ plugin: 'nosuch' }], epochs: 1 }, /stage 'odd', plugins\[0\]: unknown plugin 'nosuch'.*scale/s],
  ];
  for (const [what, stage, message] of cases) {
    it(`${what}: RecipeInputError, nothing trained or written`, async () => {
      const out = path.join(root, what.replace(/\W+/g, '-'));
      const begun: string[] = [];
      const err = await runRecipe(recipe(stage), { sources, out, plugins: factories, progress: { stageBegin: (e) => void begun.push(e.name) } }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(RecipeInputError);
      expect((err as Error).message).to.match(/recipe 'custom'/).and.to.match(message);
      expect(begun, 'stages begun').to.deep.equal([]);
      expect(await fs.readdir(out).catch(() => []), 'files written').to.deep.equal([]);
    });
  }

  it('a valid custom stage passes the check, and making the built-in plugins allocates no tensors', () => {
    const before = tf.memory().numTensors;
    for (const s of Object.values(STAGES)) createStagePlugins('custom', s, factories);
    createStagePlugins('custom', { name: 'scaled', plugins: [{ plugin: 'scale', factor: 2 }], epochs: 1 }, factories);
    expect(tf.memory().numTensors).to.equal(before);
  });
});
