import type { BuiltinModel } from './BuiltinModel';
import { DS_CNN_SIZES, dsCnn, type DsCnnSize } from './dsCnn';
import { mnistCnn } from './mnistCnn';
import { mnistNodeCnn } from './mnistNodeCnn';
import { mobileNetV1 } from './mobileNetV1';

/** The datasets' sample shape and classes (MNIST, Fashion-MNIST): every built-in model is built for them. */
const IMAGE_28 = Object.freeze([28, 28, 1] as const);

/**
 * The models recipes can name with `"model": { "builtin": name }` (and, where a model has them,
 * `"options"`), by name. The recipe schema lists these names and each model's options (unknown
 * names get a "did you mean"). Built-in models start untrained: a recipe that uses one needs a
 * `baseline`.
 */
export const builtinModels: Readonly<Record<string, BuiltinModel>> = Object.freeze({
  'mnist-cnn': Object.freeze({
    name: 'mnist-cnn',
    description: 'conv8-pool-conv16-pool-dense32-dense10 CNN for 28×28×1 images, 10 classes (MNIST, Fashion-MNIST)',
    inputShape: IMAGE_28,
    classes: 10,
    create: () => mnistCnn(),
  }),
  'mnist-node-cnn': Object.freeze({
    name: 'mnist-node-cnn',
    description: 'the tfjs-examples mnist-node CNN (conv32-conv32-pool-conv64-conv64-pool-dense512-dense10, ~600k weights) for 28×28×1 images',
    inputShape: IMAGE_28,
    classes: 10,
    create: () => mnistNodeCnn(),
  }),
  'ds-cnn': Object.freeze({
    name: 'ds-cnn',
    description: "ARM ML-KWS DS-CNN (conv, then depthwise 3×3 → BN → ReLU → pointwise → BN → ReLU blocks, average pool, dense; sizes S/M/L) for 28×28×1 images",
    inputShape: IMAGE_28,
    classes: 10,
    optionsSchema: Object.freeze({
      type: 'object',
      properties: {
        size: {
          enum: Object.keys(DS_CNN_SIZES),
          default: 'S',
          description: `ML-KWS size: ${Object.entries(DS_CNN_SIZES)
            .map(([k, v]) => `\`${k}\` (${v.filters} filters, ${v.blocks} blocks)`)
            .join(', ')}.`,
        },
      },
      additionalProperties: false,
    }),
    create: (options?: Readonly<Record<string, unknown>>) => dsCnn({ size: (options?.['size'] as DsCnnSize | undefined) ?? 'S', inputShape: [28, 28, 1], classes: 10 }),
  }),
  'mobilenet-v1': Object.freeze({
    name: 'mobilenet-v1',
    description: 'Keras MobileNet v1 (13 depthwise-separable blocks with BN and ReLU6; width multiplier option) for 28×28×1 images, zero-padded to 32×32',
    inputShape: IMAGE_28,
    classes: 10,
    optionsSchema: Object.freeze({
      type: 'object',
      properties: {
        alpha: { type: 'number', exclusiveMinimum: 0, maximum: 4, default: 0.25, description: 'Width multiplier α: every layer has round(filters × α) filters (Keras offers 0.25, 0.5, 0.75, 1).' },
      },
      additionalProperties: false,
    }),
    create: (options?: Readonly<Record<string, unknown>>) => mobileNetV1({ alpha: (options?.['alpha'] as number | undefined) ?? 0.25, inputShape: [28, 28, 1], classes: 10 }),
  }),
});
