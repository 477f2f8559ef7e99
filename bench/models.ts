// Models the benchmarks share (uncompiled: each benchmark compiles as it needs). The architectures
// are the recipes' built-in models (one owner); these keep the benchmarks' positional signatures.
import type * as tf from '@tensorflow/tfjs';
import { dsCnn as buildDsCnn } from '../recipes/src/models/dsCnn';
import { mobileNetV1 as buildMobileNetV1 } from '../recipes/src/models/mobileNetV1';

export { mnistNodeCnn } from '../recipes/src/models/mnistNodeCnn';

/** Keras' MobileNet v1 (see recipes/src/models/mobileNetV1.ts). */
export function mobileNetV1(alpha = 1, inputShape: [number, number, number] = [224, 224, 3], classes = 1000): tf.LayersModel {
  return buildMobileNetV1({ alpha, inputShape, classes });
}

/** DS-CNN-S on 28x28x1 (see recipes/src/models/dsCnn.ts): conv 5x5/2 (64) and 4 blocks of 64. */
export function dsCnn(inputShape: [number, number, number] = [28, 28, 1], classes = 10): tf.LayersModel {
  return buildDsCnn({ size: 'S', inputShape, classes });
}

/** DS-CNN-L on 28x28x1 (see recipes/src/models/dsCnn.ts): conv 5x5/2 (276), 5 blocks of 276, the first with stride 2. */
export function dsCnnL(inputShape: [number, number, number] = [28, 28, 1], classes = 10): tf.LayersModel {
  return buildDsCnn({ size: 'L', inputShape, classes });
}
