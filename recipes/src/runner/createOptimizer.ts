import * as tf from '@tensorflow/tfjs';
import type { OptimizerSpec } from '../recipe/Recipe';
import { RECIPE_DEFAULTS } from '../recipe/recipeDefaults';
import { RecipeInputError } from '../errors/RecipeInputError';

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

/**
 * The learning rate of epoch `epoch` (0-based) of `epochs`: `learningRate` decaying geometrically
 * to `finalLearningRate` at the last epoch, or constant without it.
 */
export function epochLearningRate(spec: OptimizerSpec | undefined, epoch: number, epochs: number): number {
  const s = spec ?? RECIPE_DEFAULTS.optimizer;
  if (s.finalLearningRate === undefined || epochs <= 1) return s.learningRate;
  return s.learningRate * (s.finalLearningRate / s.learningRate) ** (Math.min(epoch, epochs - 1) / (epochs - 1));
}

/**
 * A callback that sets the optimizer's learning rate at the start of every epoch (tfjs optimizers
 * read their rate at every step; SGD-style ones cache it, hence `setLearningRate`).
 */
export class LearningRateSchedule extends tf.Callback {
  constructor(
    private readonly optimizer: tf.Optimizer,
    private readonly spec: OptimizerSpec | undefined,
    private readonly epochs: number,
  ) {
    super();
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    const rate = epochLearningRate(this.spec, epoch, this.epochs);
    const o = this.optimizer as unknown as { setLearningRate?: (lr: number) => void; learningRate: number };
    if (typeof o.setLearningRate === 'function') o.setLearningRate(rate);
    else o.learningRate = rate;
  }
}
