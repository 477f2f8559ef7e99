import type { BuiltinModel } from './BuiltinModel';
import { mnistCnn } from './mnistCnn';

/**
 * The models recipes can name with `"model": { "builtin": name }`, by name. The recipe schema
 * lists these names (unknown names get a "did you mean"). Built-in models start untrained: a
 * recipe that uses one needs a `baseline`.
 */
export const builtinModels: Readonly<Record<string, BuiltinModel>> = Object.freeze({
  'mnist-cnn': Object.freeze({
    name: 'mnist-cnn',
    description: 'conv8-pool-conv16-pool-dense32-dense10 CNN for 28×28×1 images, 10 classes (MNIST, Fashion-MNIST)',
    inputShape: Object.freeze([28, 28, 1]),
    classes: 10,
    create: mnistCnn,
  }),
});
