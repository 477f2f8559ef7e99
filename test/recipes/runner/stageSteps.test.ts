import { expect } from 'chai';
import { stageSteps } from '../../../recipes/src/runner/stageSteps';
import { RECIPE_DEFAULTS } from '../../../recipes/src/recipe/recipeDefaults';

describe('runner/stageSteps: how long a stage trains', () => {
  it('epochs of whole batches, the last batch partial', () => {
    expect(stageSteps({ name: 's', plugins: [], epochs: 2, batchSize: 32 }, 100)).to.deep.equal({ batchSize: 32, stepsPerEpoch: 4, steps: 8, epochs: 2 });
  });

  it('steps: exactly that many batches, the last epoch cut short', () => {
    expect(stageSteps({ name: 's', plugins: [], steps: 10, batchSize: 32 }, 100)).to.deep.equal({ batchSize: 32, stepsPerEpoch: 4, steps: 10, epochs: 3 });
  });

  it('nothing to train: zero steps and epochs, the default batch size', () => {
    expect(stageSteps({ name: 's', plugins: [] }, 100)).to.deep.include({ batchSize: RECIPE_DEFAULTS.batchSize, steps: 0, epochs: 0 });
  });
});
