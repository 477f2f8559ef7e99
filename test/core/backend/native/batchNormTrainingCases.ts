// BatchNormalization training on wasm with the native kernels against tfjs-layers' stock path on
// cpu, over a grid of shapes, batch sizes and axes (not a test file itself: the suite runs it
// in-process, and in a child process with COLLABOPT_NATIVE_ISA=scalar for the portable kernels).
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_TRAINING_GRAD_KERNEL, BATCH_NORM_TRAINING_KERNEL } from '../../../../core/src/backend/collaboptKernelNames';
import { expectClose, seeded } from '../backendTestUtils';

/** One layer configuration and input shape of the grid. */
export interface LayerCase {
  readonly shape: readonly number[];
  readonly axis?: number;
  readonly momentum?: number;
  readonly epsilon?: number;
  /** Whether the fused kernels should run (false: the layer must take the stock path). */
  readonly fused: boolean;
}

/** The grid: ranks 2–4 over the last axis (batch sizes 1 to 64, odd channel counts), plus axes the stock path keeps. */
export const LAYER_CASES: readonly LayerCase[] = [
  { shape: [2, 5, 4, 3], fused: true },
  { shape: [1, 6, 6, 8], fused: true, momentum: 0.5 },
  { shape: [16, 7, 7, 17], fused: true, epsilon: 1e-2 },
  { shape: [64, 5, 5, 33], axis: 3, fused: true },
  { shape: [3, 9], fused: true },
  { shape: [64, 100], fused: true, momentum: 0.9 },
  { shape: [4, 9, 6], axis: 2, fused: true },
  { shape: [3, 4, 5, 6], axis: 1, fused: false },
  { shape: [5, 7], axis: 0, fused: false },
  { shape: [4, 9, 6], axis: -2, fused: false },
];

/** What one run of a case gives: per-step outputs and gradients, the moving statistics, the inference output, the kernels run. */
export interface LayerRun {
  readonly values: Map<string, Float32Array>;
  readonly kernels: Set<string>;
}

/**
 * Runs `spec` on the active backend: three steps of (forward in training, gradients of
 * sum(y·w) w.r.t. x, gamma and beta), each updating the moving statistics, then the moving
 * statistics and an inference forward. Inputs are offset from zero so the variance is not trivial.
 */
export async function runLayerCase(spec: LayerCase, caseSeed: number): Promise<LayerRun> {
  const { shape } = spec;
  const rank = shape.length;
  const axis = spec.axis ?? -1;
  const channels = shape[axis >= 0 ? axis : axis + rank]!;
  const size = shape.reduce((p, d) => p * d, 1);
  const values = new Map<string, Float32Array>();
  const kernels = new Set<string>();
  const layer = tf.layers.batchNormalization({ axis, ...(spec.momentum != null ? { momentum: spec.momentum } : {}), ...(spec.epsilon != null ? { epsilon: spec.epsilon } : {}) });
  layer.build(shape as number[]);
  layer.setWeights([
    tf.tensor(seeded(channels, caseSeed + 1)),
    tf.tensor(seeded(channels, caseSeed + 2)),
    tf.tensor(seeded(channels, caseSeed + 3)),
    tf.tensor(Float32Array.from(seeded(channels, caseSeed + 4), (v) => 0.5 + Math.abs(v))),
  ]);
  const [gamma, beta] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  try {
    for (let step = 0; step < 3; step++) {
      const x = tf.variable(tf.tidy(() => tf.add(tf.mul(tf.tensor(seeded(size, caseSeed + 10 + step), shape as number[]), 2), 3)));
      const w = tf.tensor(seeded(size, caseSeed + 20 + step), shape as number[]);
      try {
        const y = tf.tidy(() => layer.apply(x, { training: true }) as tf.Tensor);
        values.set(`step ${step} y`, y.dataSync() as Float32Array);
        y.dispose();
        const info = await tf.profile(() => {
          const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x, { training: true }) as tf.Tensor, w)) as tf.Scalar, [x, gamma!, beta!]);
          values.set(`step ${step} dx`, grads[x.name]!.dataSync() as Float32Array);
          values.set(`step ${step} dgamma`, grads[gamma!.name]!.dataSync() as Float32Array);
          values.set(`step ${step} dbeta`, grads[beta!.name]!.dataSync() as Float32Array);
          tf.dispose([value, ...Object.values(grads)]);
        });
        for (const k of info.kernelNames) kernels.add(k);
      } finally {
        tf.dispose([x, w]);
      }
    }
    const weights = layer.getWeights();
    values.set('moving mean', weights[2]!.dataSync() as Float32Array);
    values.set('moving variance', weights[3]!.dataSync() as Float32Array);
    const probe = tf.tensor(seeded(size, caseSeed + 30), shape as number[]);
    const info = await tf.profile(() => {
      const y = layer.apply(probe, { training: false }) as tf.Tensor;
      values.set('inference y', y.dataSync() as Float32Array);
      y.dispose();
    });
    for (const k of info.kernelNames) kernels.add(`inference ${k}`);
    probe.dispose();
  } finally {
    for (const w of layer.weights) w.dispose();
  }
  return { values, kernels };
}

/** Runs the grid on wasm (whatever is registered there) and on cpu, and asserts each value matches; returns the case count. */
export async function compareLayerGrid(cases: readonly LayerCase[] = LAYER_CASES): Promise<number> {
  let seed = 1000;
  for (const spec of cases) {
    const label = `BatchNormalization [${spec.shape}] axis ${spec.axis ?? -1}`;
    await tf.setBackend('wasm');
    const ours = await runLayerCase(spec, (seed += 100));
    await tf.setBackend('cpu');
    const reference = await runLayerCase(spec, seed);
    const fused = ours.kernels.has(BATCH_NORM_TRAINING_KERNEL) && ours.kernels.has(BATCH_NORM_TRAINING_GRAD_KERNEL);
    expect(fused, `${label}: the fused kernels ran`).to.equal(spec.fused);
    expect([...ours.kernels].some((k) => k.startsWith('inference Collabopt')), `${label}: inference stays on the stock path`).to.equal(false);
    expect([...ours.values.keys()]).to.deep.equal([...reference.values.keys()]);
    for (const [name, expected] of reference.values) expectClose(ours.values.get(name)!, expected, `${label}: ${name}`, 2e-5);
  }
  return cases.length;
}
