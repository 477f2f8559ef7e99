// The native Sum and Mean over leading axes against tfjs's cpu kernels (ranks 2–4, keepDims,
// negative axes, sizes above and below the threading threshold); other axis sets go to the fallback.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { nativeReduceKernels } from '../../../../core/src/backend/native/nativeReduceKernels';
import { describeNative, expectNativeMatchesCpu, runNative } from './nativeTestUtils';

describeNative('native Sum and Mean', (addon) => {
  const kernels = nativeReduceKernels(addon);

  it('match the cpu kernels over leading axes', async () => {
    const cases: [number[], number | number[]][] = [
      [[5, 3], 0], [[64, 14, 14, 17], [0, 1, 2]], [[3, 7, 9, 5], [2, 1, 0]], [[3, 7, 9, 5], [0, 1]], [[2, 5, 7], [-3, -2]], [[300, 257], [0]],
    ];
    for (const kernelName of [tf.Sum, tf.Mean]) {
      for (const [shape, axis] of cases) {
        for (const keepDims of [false, true]) {
          await expectNativeMatchesCpu(kernels.get(kernelName)!, kernelName, { x: { shape, seed: shape.length } },
            { axis, keepDims }, `${kernelName} [${shape}] axis ${JSON.stringify(axis)} keepDims ${keepDims}`, 1e-5);
        }
      }
    }
  });

  it('hand other axis sets and full reductions to the fallback', async () => {
    for (const axis of [[1, 2], [3], [0, 1, 2, 3], null]) {
      let message = '';
      try {
        await runNative(kernels.get(tf.Sum)!, tf.Sum, { x: { shape: [2, 3, 4, 5], seed: 1 } }, { axis, keepDims: false });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message, JSON.stringify(axis)).to.match(/handed these inputs to its fallback/);
    }
  });
});
