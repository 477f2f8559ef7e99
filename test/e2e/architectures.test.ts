/**
 * Whole architectures end to end (issue 16): MobileNet-v2, MobileNet-v3-small and an
 * EfficientNet-lite-style net at test size (test/helpers/architectures.ts), each trained briefly
 * on random data, exported float32 (the file computes what tfjs computes) and int8 after PTQ and
 * after QAT, and run in LiteRT and TFLite 2.9 against the session's fake-quant model, element by
 * element in output steps read from the file.
 *
 * These models have 32–48 tfjs layers (about 12–20 operators after folding and fusion), beyond
 * the ~15 layers the fidelity contract's two steps are stated for: the bounds here are the
 * measured maxima (a regression guard, not the contract), and the README's Fidelity section
 * lists them. What grows with depth is the rounding *position* the contract's README describes
 * (float32 emulation vs integer requantization, one-level flips that compound), not a rounding
 * the emulation skips: every tensor the file rounds has a recorded range after QAT.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { exportTflite } from '../../plugins/src/export/tflite/exportTflite';
import { TFLITE_RUNTIME_LABELS } from '../../recipes/src/runner/TfliteRuntime';
import { architectureModel, ARCHITECTURES, type Architecture } from '../helpers/architectures';
import { measureInt8Fidelity } from '../helpers/int8Fidelity';
import { runtimesToCheck } from '../helpers/liteRt';
import { compareWithTflite } from '../plugins/export/tflite/compareWithTflite';
import { inputsFor } from '../plugins/export/tflite/fixtures';

/** Measured maxima (both runtimes, this seed), in output steps of the logits. */
const MAX_STEPS: Record<Architecture, { ptq: number; qat: number }> = {
  'mobilenet-v2': { ptq: 3, qat: 2 },
  'mobilenet-v3-small': { ptq: 3, qat: 6 },
  'efficientnet-lite': { ptq: 7, qat: 4 },
};

/** Weights after the brief training, by architecture (trained once, each test gets a fresh model with them). */
const trainedWeights = new Map<Architecture, Float32Array[]>();

/** The architecture after a brief float training on random data (2 epochs of 64 samples, no shuffling: repeatable). */
async function trained(arch: Architecture): Promise<tf.LayersModel> {
  const model = architectureModel(arch);
  const saved = trainedWeights.get(arch);
  if (saved) {
    const values = model.getWeights().map((w, i) => tf.tensor(saved[i]!, w.shape));
    model.setWeights(values);
    tf.dispose(values);
    return model;
  }
  const [xs] = inputsFor(model, 64, 5);
  const ys = tf.tidy(() => tf.randomNormal([64, 5], 0, 1, 'float32', 3));
  model.compile({ optimizer: tf.train.adam(0.003), loss: 'meanSquaredError' });
  await model.fit(xs!, ys, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 });
  tf.dispose([xs!, ys]);
  trainedWeights.set(arch, model.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array)));
  return model;
}

describe('architectures end to end: MobileNet-v2, MobileNet-v3-small, EfficientNet-lite (float32 and int8 in LiteRT and TFLite 2.9)', function () {
  this.timeout(240_000);

  for (const arch of ARCHITECTURES) {
    it(`${arch}: the float32 file computes what tfjs computes`, async () => {
      const model = await trained(arch);
      const [xs] = inputsFor(model, 8);
      try {
        const reference = tf.tidy(() => {
          const flat = (model.predict(xs!) as tf.Tensor).dataSync() as Float32Array;
          return Array.from({ length: 8 }, (_, i) => [flat.slice(i * 5, (i + 1) * 5)]);
        });
        const { bytes } = await exportTflite(model, { mode: 'float32' });
        const c = await compareWithTflite(bytes, [xs!], reference);
        expect(c.maxAbsError, arch).to.be.below(1e-5 * Math.max(1, c.maxAbsReference));
      } finally {
        tf.dispose(xs!);
        model.dispose();
      }
    });

    for (const scenario of ['ptq', 'qat'] as const) {
      it(`${arch}: the int8 file after ${scenario.toUpperCase()} is within ${MAX_STEPS[arch][scenario]} output steps of the fake-quant model`, async () => {
        const model = await trained(arch);
        try {
          const runtimes = await runtimesToCheck(`${arch} int8`);
          const r = await measureInt8Fidelity(model, scenario, { runtimes });
          for (const [runtime, steps] of Object.entries(r.byRuntime ?? { [runtimes[0]!]: r.maxSteps })) {
            expect(steps, `${arch} after ${scenario} in ${TFLITE_RUNTIME_LABELS[runtime as keyof typeof TFLITE_RUNTIME_LABELS]}`).to.be.at.most(MAX_STEPS[arch][scenario] + 1e-4);
          }
        } finally {
          model.dispose();
        }
      });
    }
  }
});
