import * as tf from '@tensorflow/tfjs';
import type { RecipeData } from '../data/RecipeData';

/**
 * Top-1 accuracy of `model` on a split, predicting in batches. The model runs as it is: with a
 * quantize session still running, its forward hooks make this the fake-int8 accuracy.
 */
export function topOneAccuracy(model: tf.LayersModel, split: RecipeData['test'], batchSize = 500): number {
  const n = split.labels.length;
  if (n === 0) throw new Error('topOneAccuracy: the split has no samples');
  let right = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const predicted = tf.tidy(() => {
      const x = split.xs.slice(start, size);
      return (model.predict(x) as tf.Tensor).argMax(-1).dataSync();
    });
    for (let i = 0; i < size; i++) if (predicted[i] === split.labels[start + i]) right++;
  }
  return right / n;
}
