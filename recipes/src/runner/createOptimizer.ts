import * as tf from '@tensorflow/tfjs';
import type { OptimizerSpec } from '../recipe/Recipe';
import { RECIPE_DEFAULTS } from '../recipe/recipeDefaults';
import { RecipeInputError } from './RecipeInputError';

/**
 * A fresh `tf.train.*` optimizer for a recipe's optimizer spec (`RECIPE_DEFAULTS.optimizer` when
 * none is given) (every stage compiles its own, so
 * no optimizer state leaks from one stage into the next).
 * @param where for errors, e.g. `recipe 'pcqat', stage 'prune'`.
 * @throws RecipeInputError for an unknown type or a learning rate that is not a positive number.
 */
export function createOptimizer(spec: OptimizerSpec | undefined, where: string): tf.Optimizer {
  const s = spec ?? RECIPE_DEFAULTS.optimizer;
  if (!(typeof s.learningRate === 'number' && s.learningRate > 0 && Number.isFinite(s.learningRate))) {
    throw new RecipeInputError(`${where}: optimizer.learningRate must be a positive number, got ${JSON.stringify(s.learningRate)}`);
  }
  switch (s.type) {
    case 'sgd':
      return tf.train.sgd(s.learningRate);
    case 'momentum':
      return tf.train.momentum(s.learningRate, s.momentum ?? 0.9);
    case 'adam':
      return tf.train.adam(s.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(s.learningRate);
    case 'adagrad':
      return tf.train.adagrad(s.learningRate);
    default:
      throw new RecipeInputError(`${where}: unknown optimizer type ${JSON.stringify((s as { type: unknown }).type)}; expected sgd, momentum, adam, rmsprop or adagrad`);
  }
}
