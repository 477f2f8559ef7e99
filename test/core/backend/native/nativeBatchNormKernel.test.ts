// The native FusedBatchNorm against tfjs's cpu kernel: per-channel and scalar statistics, absent
// offset/scale, ranks 2 and 4, channel counts that are not multiples of 8.
import * as tf from '@tensorflow/tfjs';
import { nativeBatchNormKernel } from '../../../../core/src/backend/native/nativeBatchNormKernel';
import { describeNative, expectNativeMatchesCpu, type Input } from './nativeTestUtils';

describeNative('native FusedBatchNorm', (addon) => {
  const kernel = nativeBatchNormKernel(addon);

  it('matches the cpu kernel', async () => {
    const positive = (n: number, seed: number): Input => ({ shape: [n], seed, values: Float32Array.from({ length: n }, (_, i) => 0.5 + ((i * 7 + seed) % 5) / 4) });
    for (const shape of [[3, 5, 7, 17], [64, 14, 14, 64], [9, 3]]) {
      const c = shape[shape.length - 1]!;
      for (const [label, stats] of [
        ['per channel', { mean: { shape: [c], seed: 1 }, variance: positive(c, 2), offset: { shape: [c], seed: 3 }, scale: { shape: [c], seed: 4 } }],
        ['no offset/scale', { mean: { shape: [c], seed: 5 }, variance: positive(c, 6) }],
        ['scalar statistics', { mean: { shape: [1], seed: 7 }, variance: positive(1, 8), scale: { shape: [c], seed: 9 } }],
      ] as [string, Record<string, Input>][]) {
        await expectNativeMatchesCpu(kernel, tf.FusedBatchNorm, { x: { shape, seed: 10 }, ...stats }, { varianceEpsilon: 1e-3 },
          `FusedBatchNorm [${shape}] ${label}`, 1e-5);
      }
    }
  });
});
