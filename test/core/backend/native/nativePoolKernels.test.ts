// The native MaxPool and MaxPoolGrad against tfjs's cpu kernels over filter sizes, strides, pads
// (SAME/VALID, overlapping windows), batch sizes and odd channel counts.
import * as tf from '@tensorflow/tfjs';
import { nativePoolKernels } from '../../../../core/src/backend/native/nativePoolKernels';
import { describeNative, expectNativeMatchesCpu, runCpuReference } from './nativeTestUtils';

describeNative('native MaxPool and MaxPoolGrad', (addon) => {
  const kernels = nativePoolKernels(addon);
  const cases: { x: [number, number, number, number]; filterSize: [number, number]; strides: [number, number]; pad: 'same' | 'valid' }[] = [];
  for (const x of [[1, 7, 9, 3], [3, 8, 8, 17]] as [number, number, number, number][]) {
    for (const [filterSize, strides] of [[[2, 2], [2, 2]], [[3, 3], [2, 2]], [[3, 2], [1, 1]]] as [[number, number], [number, number]][]) {
      for (const pad of ['same', 'valid'] as const) cases.push({ x, filterSize, strides, pad });
    }
  }
  const label = (c: (typeof cases)[number]) => `x[${c.x}] f[${c.filterSize}] s${c.strides[0]} ${c.pad}`;

  it('MaxPool matches the cpu kernel', async () => {
    for (const c of cases) {
      await expectNativeMatchesCpu(kernels.get(tf.MaxPool)!, tf.MaxPool, { x: { shape: c.x, seed: 1 } },
        { filterSize: c.filterSize, strides: c.strides, pad: c.pad }, `MaxPool ${label(c)}`, 0);
    }
  });

  it('MaxPoolGrad matches the cpu kernel (overlapping windows accumulate)', async () => {
    for (const c of cases) {
      const attrs = { filterSize: c.filterSize, strides: c.strides, pad: c.pad };
      const y = await runCpuReference(tf.MaxPool, { x: { shape: c.x, seed: 2 } }, attrs);
      await expectNativeMatchesCpu(kernels.get(tf.MaxPoolGrad)!, tf.MaxPoolGrad,
        { dy: { shape: y.shape, seed: 3 }, input: { shape: c.x, seed: 2 }, output: { shape: y.shape, seed: 0, values: y.values } },
        attrs, `MaxPoolGrad ${label(c)}`, 1e-6);
    }
  });
});
