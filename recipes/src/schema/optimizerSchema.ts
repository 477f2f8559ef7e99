import { RECIPE_DEFAULTS } from '../recipe/recipeDefaults';
import type { JsonSchema } from './JsonSchema';

/** Optimizer types recipes accept, each mapping to `tf.train.<type>`. */
const TYPES = ['sgd', 'momentum', 'adam', 'rmsprop', 'adagrad'] as const;

/**
 * Schema fragment of an optimizer: one branch per `type` (ajv `discriminator`), so `momentum` is
 * required for `momentum` and rejected for the others, and an error names the chosen type's keys.
 */
export function optimizerSchema(): JsonSchema {
  const learningRate = {
    type: 'number',
    exclusiveMinimum: 0,
    description: 'Learning rate.',
    examples: [0.001],
  };
  const finalLearningRate = {
    type: 'number',
    exclusiveMinimum: 0,
    description:
      'Learning rate of the last epoch: the rate decays geometrically epoch by epoch from `learningRate` to this value (e.g. a high rate to converge fast, then a low one to settle). Default: constant `learningRate`.',
    examples: [0.0005],
  };
  return {
    type: 'object',
    description: 'The optimizer (`tf.train.<type>`) and its learning rate.',
    default: { ...RECIPE_DEFAULTS.optimizer },
    examples: [{ type: 'adam', learningRate: 0.0005 }],
    properties: { type: { type: 'string', description: `Optimizer: ${TYPES.map((t) => `\`${t}\``).join(', ')}.`, examples: ['adam'] } },
    required: ['type'],
    discriminator: { propertyName: 'type' },
    oneOf: TYPES.map((type) => ({
      type: 'object',
      title: type,
      properties: {
        type: { const: type, description: `\`tf.train.${type}\`.` },
        learningRate,
        finalLearningRate,
        ...(type === 'momentum'
          ? { momentum: { type: 'number', minimum: 0, exclusiveMaximum: 1, description: 'Momentum coefficient.', examples: [0.9] } }
          : {}),
      },
      required: type === 'momentum' ? ['type', 'learningRate', 'momentum'] : ['type', 'learningRate'],
      additionalProperties: false,
    })),
  };
}
