/**
 * A stage's `trainSamples`: the stage fine-tunes on the first N training samples, its epochs are
 * N samples long (so `"1ep"` schedules end inside the stage), and a count larger than the loaded
 * data fails before anything trains.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import type { Recipe } from '../../../recipes/src/recipe/Recipe';
import { RecipeInputError } from '../../../recipes/src/errors/RecipeInputError';
import { runRecipe } from '../../../recipes/src/runner/runRecipe';
import { withTrainingBackend } from '../../helpers/mnist';
import { BASE, sources, TRAIN } from './fixtures';

const FINE_TUNE = 640;

function recipe(trainSamples: number): Recipe {
  return {
    name: 'subset',
    ...BASE,
    baseline: { ...BASE.baseline, epochs: 1 },
    stages: [
      {
        name: 'prune',
        plugins: [{ plugin: 'prune', finalSparsity: 0.5, endStep: '1ep', frequency: 2 }],
        epochs: 2,
        batchSize: 64,
        trainSamples,
        optimizer: { type: 'adam', learningRate: 0.001 },
      },
    ],
  };
}

describe('stage trainSamples (wasm backend)', function () {
  withTrainingBackend(this);
  let root: string;
  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'collabopt-subset-'));
  });
  after(async () => fs.rm(root, { recursive: true, force: true }));

  it('fine-tunes on the first N samples: N-sample epochs, "1ep" schedules end inside the stage', async () => {
    const batches = new Map<number, number>();
    const perEpoch = new Map<number, number>();
    const result = await runRecipe(recipe(FINE_TUNE), {
      sources,
      out: path.join(root, 'ok'),
      progress: {
        stageBegin: (e) => void perEpoch.set(e.index, e.stepsPerEpoch),
        batchEnd: (e) => void batches.set(e.stepsPerEpoch, (batches.get(e.stepsPerEpoch) ?? 0) + 1),
      },
    });
    const steps = Math.ceil(FINE_TUNE / 64);
    expect(perEpoch.get(0)).to.equal(Math.ceil(TRAIN / 64));
    expect(perEpoch.get(1)).to.equal(steps);
    expect(batches.get(steps)).to.equal(2 * steps);
    const prune = result.stages[1]!.record;
    expect(prune.training).to.include({ epochs: 2, steps: 2 * steps });
    // The schedule's "1ep" resolved to the stage's own epochs: the target is reached, not a fraction of it.
    for (const k of prune.kernels) expect(k.sparsity, k.id).to.be.within(0.49, 0.51);
  });

  it('more samples than the data has: a RecipeInputError naming the field, before the baseline trains', async () => {
    const out = path.join(root, 'too-many');
    const error = await runRecipe(recipe(TRAIN + 1), { sources, out }).then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(RecipeInputError);
    expect((error as Error).message).to.equal(`recipe 'subset', /stages/0/trainSamples: expected at most ${TRAIN} (the training samples loaded), found ${TRAIN + 1}`);
    expect(await fs.readdir(out).catch(() => [])).to.deep.equal([]);
  });
});
