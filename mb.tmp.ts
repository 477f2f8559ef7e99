import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import './core/src/backend/node';
import { registerTrainingKernels } from './core/src/backend/registerTrainingKernels';
import { BATCH_NORM_TRAINING_KERNEL as F, BATCH_NORM_TRAINING_GRAD_KERNEL as G } from './core/src/backend/collaboptKernelNames';
(async () => {
  registerTrainingKernels(); await tf.setBackend('wasm');
  for (const shape of [[32, 16, 16, 8], [32, 4, 4, 64], [64, 14, 14, 64]]) {
    const c = shape[3]!;
    const x = tf.randomNormal(shape), s = tf.ones([c]), o = tf.zeros([c]), dy = tf.randomNormal(shape);
    const time = (f: () => tf.Tensor[]) => { for (let i = 0; i < 5; i++) tf.dispose(f()); const t0 = performance.now(); const n = 50; for (let i = 0; i < n; i++) tf.dispose(f()); return ((performance.now() - t0) / n).toFixed(3); };
    const [, m, v] = tf.engine().runKernel(F, { x, scale: s, offset: o }, { varianceEpsilon: 1e-3 }) as tf.Tensor[];
    const fw = time(() => tf.engine().runKernel(F, { x, scale: s, offset: o }, { varianceEpsilon: 1e-3 }) as tf.Tensor[]);
    const bw = time(() => tf.engine().runKernel(G, { dy, x, mean: m!, variance: v!, scale: s, dmean: o, dvariance: o }, { varianceEpsilon: 1e-3 }) as tf.Tensor[]);
    const fbn = time(() => [tf.batchNorm(x, m!, v!, o, s, 1e-3)]);
    console.log(shape.join('x'), 'fwd', fw, 'bwd', bw, 'FusedBatchNorm', fbn, 'ms');
  }
})();
