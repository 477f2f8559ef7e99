// The native BatchMatMul against tfjs's cpu kernel: every transpose combination, sizes around the
// 6x16 register tile and the equal K blocks (k 300 = 2 × 150, 1000 = 4 × 250), A read in place
// (k ≤ 128, or transposed) with and without a partial row strip, a transposed A packed (column
// stride 256), small outputs over a long K (the two threads split K: 4x6 and 16x12 over k 3000
// and 512), batches (equal and broadcast from 1).
import * as tf from '@tensorflow/tfjs';
import { nativeMatMulKernel } from '../../../../core/src/backend/native/nativeMatMulKernel';
import { describeNative, expectNativeMatchesCpu } from './nativeTestUtils';

describeNative('native BatchMatMul', (addon) => {
  const kernel = nativeMatMulKernel(addon);
  const shape = (outer: number[], rows: number, cols: number, transpose: boolean) => [...outer, ...(transpose ? [cols, rows] : [rows, cols])];

  it('matches the cpu kernel for all transposes, odd sizes and batches', async () => {
    const sizes: [number, number, number][] = [[1, 1, 1], [7, 19, 33], [6, 16, 256], [13, 300, 50], [100, 37, 300], [32, 512, 17], [4, 6, 3000], [16, 12, 512], [12, 40, 1000], [256, 20, 130]];
    const batches: [number[], number[]][] = [[[], []], [[3], [3]], [[1], [4]], [[2], [1]]];
    for (const [m, n, k] of sizes) {
      for (const [ba, bb] of batches) {
        for (const transposeA of [false, true]) {
          for (const transposeB of [false, true]) {
            await expectNativeMatchesCpu(kernel, tf.BatchMatMul,
              { a: { shape: shape(ba, m, k, transposeA), seed: m + k }, b: { shape: shape(bb, k, n, transposeB), seed: n + 3 } },
              { transposeA, transposeB }, `BatchMatMul ${m}x${n}x${k} batch [${ba}]/[${bb}] tA ${transposeA} tB ${transposeB}`, 5e-5);
          }
        }
      }
    }
  });
});
