/**
 * A small U-Net (recipes/src/models/uNet.ts: VALID convolutions, max-pool, Conv2DTranspose up,
 * the skip connection cropped and concatenated) end to end: pruned for a few batches of random
 * data, the float32 file computes what tfjs predicts and holds the pruned zeros of every kernel
 * (Conv2DTranspose's included, read back through its own layout); the int8 file is within the
 * contract for a model of this depth (2 output steps, max over every output element) of the
 * session's fake-quant model after PTQ and after QAT, in LiteRT and TFLite 2.9.
 */
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { collab } from '@collabopt/core';
import { cluster } from '../../plugins/src/clustering/ClusterPlugin';
import { prune } from '../../plugins/src/pruning/PrunePlugin';
import { quantize } from '../../plugins/src/quantization/QuantizePlugin';
import { exportTflite } from '../../plugins/src/export/tflite/exportTflite';
import { inspectTflite } from '../../plugins/src/export/tflite/read/inspectTflite';
import { uNet } from '../../recipes/src/models/uNet';
import { measureInt8Fidelity } from '../helpers/int8Fidelity';
import { runtimesToCheck } from '../helpers/liteRt';
import { withTrainingBackend } from '../helpers/mnist';
import { compareWithTflite } from '../plugins/export/tflite/compareWithTflite';
import { inputsFor, predictRows } from '../plugins/export/tflite/fixtures';

describe('U-Net (transposed convolution, cropped skip concatenation) end to end', function () {
  withTrainingBackend(this, 300_000);

  it('has the U-Net classes and shapes: 20x20 in, 6x6x3 per-pixel out', () => {
    const model = uNet();
    expect(model.outputs[0]!.shape).to.deep.equal([null, 6, 6, 3]);
    expect(model.layers.map((l) => l.getClassName())).to.include.members(['Conv2DTranspose', 'Cropping2D', 'Concatenate', 'MaxPooling2D']);
    model.dispose();
  });

  it('pruned briefly on random data: the float32 file equals tfjs predict and keeps every kernel 50% sparse', async () => {
    const model = uNet();
    const xs = tf.randomUniform([32, 20, 20, 3], -1, 1, 'float32', 7);
    const ys = tf.randomUniform([32, 6, 6, 3], 0, 1, 'float32', 8);
    model.compile({ optimizer: tf.train.adam(0.003), loss: 'meanSquaredError' });
    const session = collab(model, [prune({ schedule: { type: 'constantSparsity', targetSparsity: 0.5, frequency: 1 } })], { onWarning: () => {} });
    await model.fit(xs, ys, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0, callbacks: [session.callback()] });
    const { state } = await session.finish();
    const samples = inputsFor(model, 4, 3);
    try {
      const { bytes, report } = await exportTflite(model, { mode: 'float32' }, state);
      const reference = Array.from({ length: 4 }, (_, i) => predictRows(model, samples, i));
      const r = await compareWithTflite(bytes, samples, reference);
      expect(r.maxAbsError).to.be.at.most(1e-5 * Math.max(1, r.maxAbsReference));
      const up = report.weights.find((k) => k.weightId === 'up/kernel')!;
      expect(up, 'the Conv2DTranspose kernel is reported').to.not.equal(undefined);
      expect(up.sparsity).to.be.closeTo(0.5, 0.05);
      expect(up.verified).to.include('sparsity');
      // `collabopt inspect` lists it with the other kernels, its zeros counted from the file.
      const inspected = inspectTflite(bytes).weights.find((w) => w.usedBy.startsWith('TRANSPOSE_CONV'))!;
      expect(inspected.sparsity).to.be.closeTo(up.sparsity, 1e-9);
    } finally {
      state.dispose();
      tf.dispose([xs, ys, ...samples]);
      model.dispose();
    }
  });

  it('clustered (4 centroids, per tensor): the int8 file keeps at most 4 distinct values in the Conv2DTranspose kernel, verified', async () => {
    const model = uNet();
    const xs = tf.randomUniform([16, 20, 20, 3], -1, 1, 'float32', 9);
    const ys = tf.randomUniform([16, 6, 6, 3], 0, 1, 'float32', 10);
    model.compile({ optimizer: tf.train.adam(0.003), loss: 'meanSquaredError' });
    const session = collab(model, [cluster({ numClusters: 4, include: ['up'] }), quantize()], { onWarning: () => {} });
    await model.fit(xs, ys, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0, callbacks: [session.callback()] });
    const { state } = await session.finish();
    try {
      const { report } = await exportTflite(model, { mode: 'int8' }, state);
      const up = report.weights.find((k) => k.weightId === 'up/kernel')!;
      expect(up.dtype).to.equal('int8');
      expect(up.scales, 'per tensor').to.equal(1);
      expect(up.distinct).to.be.at.most(4);
      expect(up.verified).to.include.members(['clusters', 'int8-grid']);
    } finally {
      state.dispose();
      tf.dispose([xs, ys]);
      model.dispose();
    }
  });

  for (const scenario of ['ptq', 'qat'] as const) {
    it(`int8 file within 2 output steps of the fake-quant model after ${scenario.toUpperCase()}`, async () => {
      const runtimes = await runtimesToCheck('U-Net int8 fidelity');
      for (const seed of [1, 2]) {
        const model = uNet({ seed });
        try {
          const r = await measureInt8Fidelity(model, scenario, { seed, runtimes, samples: 16 });
          expect(r.maxSteps, `U-Net seed ${seed}, ${scenario}`).to.be.at.most(2 + 1e-4);
        } finally {
          model.dispose();
        }
      }
    });
  }
});
