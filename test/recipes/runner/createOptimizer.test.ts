import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { createOptimizer } from '../../../recipes/src/runner/createOptimizer';
import { RecipeInputError } from '../../../recipes/src/errors/RecipeInputError';
import { RECIPE_DEFAULTS } from '../../../recipes/src/recipe/recipeDefaults';
import type { OptimizerSpec } from '../../../recipes/src/recipe/Recipe';

// epochLearningRate and LearningRateSchedule: test/recipes/runner/learningRateSchedule.test.ts.

const rateOf = (o: tf.Optimizer) => (o as unknown as { learningRate: number }).learningRate;

describe('createOptimizer', () => {
  it('makes the tf.train optimizer of each type with the given learning rate', () => {
    const cases: [OptimizerSpec, new (...args: never[]) => tf.Optimizer][] = [
      [{ type: 'sgd', learningRate: 0.1 }, tf.SGDOptimizer],
      [{ type: 'momentum', learningRate: 0.2 }, tf.MomentumOptimizer],
      [{ type: 'adam', learningRate: 0.3 }, tf.AdamOptimizer],
      [{ type: 'rmsprop', learningRate: 0.4 }, tf.RMSPropOptimizer],
      [{ type: 'adagrad', learningRate: 0.5 }, tf.AdagradOptimizer],
    ];
    for (const [spec, cls] of cases) {
      const o = createOptimizer(spec, 'here');
      expect(o, spec.type).to.be.instanceOf(cls);
      expect(rateOf(o), spec.type).to.equal(spec.learningRate);
      o.dispose();
    }
  });

  it("momentum defaults to 0.9 and takes the spec's momentum", () => {
    const m = (spec: OptimizerSpec) => (createOptimizer(spec, 'here') as unknown as { momentum: number }).momentum;
    expect(m({ type: 'momentum', learningRate: 0.1 })).to.equal(0.9);
    expect(m({ type: 'momentum', learningRate: 0.1, momentum: 0.5 })).to.equal(0.5);
  });

  it('without a spec: the recipe default', () => {
    const o = createOptimizer(undefined, 'here');
    expect(o).to.be.instanceOf(tf.AdamOptimizer);
    expect(rateOf(o)).to.equal(RECIPE_DEFAULTS.optimizer.learningRate);
    o.dispose();
  });

  it('a fresh optimizer per call: no state is shared between stages', () => {
    const spec: OptimizerSpec = { type: 'adam', learningRate: 0.01 };
    expect(createOptimizer(spec, 'a')).to.not.equal(createOptimizer(spec, 'b'));
  });

  it('a learning rate that is not a positive finite number, or an unknown type, is a RecipeInputError naming where', () => {
    for (const learningRate of [0, -1, Number.NaN, Infinity, '0.1']) {
      expect(() => createOptimizer({ type: 'adam', learningRate } as OptimizerSpec, "recipe 'r', stage 'prune'"), String(learningRate)).to.throw(
        RecipeInputError,
        `recipe 'r', stage 'prune': optimizer.learningRate must be a positive number, got ${JSON.stringify(learningRate)}`,
      );
    }
    expect(() => createOptimizer({ type: 'lion', learningRate: 0.1 } as unknown as OptimizerSpec, "recipe 'r', baseline")).to.throw(
      RecipeInputError,
      `recipe 'r', baseline: unknown optimizer type "lion"; expected sgd, momentum, adam, rmsprop or adagrad`,
    );
  });
});
