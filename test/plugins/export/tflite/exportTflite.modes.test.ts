import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { OptimizationState } from '@collabopt/core';
import { exportTflite } from '../../../../plugins/src/export/tflite/exportTflite';
import { observeActivationRanges } from '../../../../plugins/src/export/tflite/observeActivationRanges';
import { roundHalfAwayFromZero } from '../../../../plugins/src/quantization/roundHalfAwayFromZero';
import { compareWithTflite } from './compareWithTflite';
import { inputsFor, MODELS, predictRows, sampleRows } from './fixtures';
import { loadTflite } from '../../../../recipes/src/runner/loadTflite';

const SAMPLES = 6;

// Every supported layer class appears in these models (see fixtures.ts); each model is exported
// in every mode and run by TFLite 2.9 (tfjs-tflite-node).
describe('TFLite export: every mode loads and runs in the TFLite interpreter', function () {
  this.timeout(60000);

  for (const [name, make] of Object.entries(MODELS)) {
    describe(name, () => {
      let model: tf.LayersModel;
      let xs: tf.Tensor[];
      let calibration: tf.Tensor[];
      let reference: Float32Array[][];
      const state = new OptimizationState();

      before(async () => {
        model = make();
        xs = inputsFor(model, SAMPLES, 11);
        calibration = inputsFor(model, 48, 29);
        reference = Array.from({ length: SAMPLES }, (_, i) => predictRows(model, xs, i));
        await observeActivationRanges(model, calibration, { state });
      });
      after(() => {
        tf.dispose([...xs, ...calibration]);
        model.dispose();
        state.dispose();
      });

      it('float32: the interpreter computes what tfjs predict computes (within 1e-4)', async () => {
        const before = tf.memory().numTensors;
        const { bytes, report } = await exportTflite(model, { mode: 'float32' });
        expect(tf.memory().numTensors).to.equal(before);
        expect(report.weights.every((w) => w.dtype === 'float32')).to.equal(true);
        const c = await compareWithTflite(bytes, xs, reference);
        expect(c.maxAbsError).to.be.below(1e-4);
        expect(c.maxAbsReference).to.be.above(0.05); // the comparison is not vacuous
      });

      it('float16: weights stored as float16 and dequantized (DEQUANTIZE v3); outputs within float16 precision', async () => {
        const { bytes, report } = await exportTflite(model, { mode: 'float16' });
        expect(report.weights.every((w) => w.dtype === 'float16')).to.equal(true);
        expect(report.operators.find((o) => o.code === 'DEQUANTIZE')?.version).to.equal(3);
        const c = await compareWithTflite(bytes, xs, reference);
        expect(c.maxAbsError).to.be.below(2e-2 * Math.max(1, c.maxAbsReference));
      });

      it('dynamic-range: int8 kernels with float activations (hybrid CONV_2D v5 / DEPTHWISE v6 / FULLY_CONNECTED v3)', async () => {
        const { bytes, report } = await exportTflite(model, { mode: 'dynamic-range' });
        expect(report.weights.every((w) => w.dtype === 'int8')).to.equal(true);
        for (const o of report.operators) {
          if (o.code === 'CONV_2D') expect(o.version).to.equal(5);
          if (o.code === 'DEPTHWISE_CONV_2D') expect(o.version).to.equal(6);
          if (o.code === 'FULLY_CONNECTED') expect(o.version).to.be.oneOf([3, 5]);
        }
        const c = await compareWithTflite(bytes, xs, reference);
        expect(c.maxAbsError).to.be.below(0.08 * Math.max(1, c.maxAbsReference));
      });

      it('int8 with float inputs/outputs: QUANTIZE in, DEQUANTIZE out, int8 kernels (per channel for convolutions, per tensor for dense)', async () => {
        const { bytes, report } = await exportTflite(model, { mode: 'int8' }, state);
        const file = await loadTflite(bytes);
        expect(file.inputs.every((t) => t.dtype === 'float32')).to.equal(true);
        expect(file.outputs.every((t) => t.dtype === 'float32')).to.equal(true);
        for (const w of report.weights) {
          expect(w.dtype).to.equal('int8');
          if (w.className === 'Dense') expect(w.scales, w.weightId).to.equal(1);
          else expect(w.scales, w.weightId).to.equal(w.shape[w.className === 'DepthwiseConv2D' || w.tensor.endsWith('depthwise_kernel') ? 3 : 0]);
        }
        const c = await compareWithTflite(bytes, xs, reference);
        expect(c.maxAbsError).to.be.below(0.1 * Math.max(1, c.maxAbsReference));
      });

      it('int8 with int8 inputs/outputs: the same integer graph, without the QUANTIZE/DEQUANTIZE ends', async () => {
        const float = await exportTflite(model, { mode: 'int8' }, state);
        const int = await exportTflite(model, { mode: 'int8', inputOutputType: 'int8' }, state);
        const withFloatIo = await loadTflite(float.bytes);
        const interpreter = await loadTflite(int.bytes);
        expect(interpreter.inputs.every((t) => t.dtype === 'int8')).to.equal(true);
        expect(interpreter.outputs.every((t) => t.dtype === 'int8')).to.equal(true);
        for (let i = 0; i < SAMPLES; i++) {
          const rows = sampleRows(xs, i);
          // Quantize as TFLite's QUANTIZE does: round half away from zero, add the zero point, clamp.
          const q = rows.map((row, k) => {
            const { scale, zeroPoint } = int.report.inputs[k];
            return Int8Array.from(row, (v) => Math.max(-128, Math.min(127, roundHalfAwayFromZero(v / scale!) + zeroPoint!)));
          });
          const expected = withFloatIo.run(rows);
          interpreter.run(q).forEach((o, k) => {
            const { scale, zeroPoint } = int.report.outputs[k];
            o.data.forEach((v, j) => expect(scale! * (v - zeroPoint!)).to.be.closeTo(expected[k].data[j], 1e-6));
          });
        }
      });
    });
  }
});

describe('TFLite export: batch size', () => {
  it('fixes the batch dimension to batchSize; the interpreter runs that many samples at once', async () => {
    const model = MODELS.multiInputFunctional();
    const xs = inputsFor(model, 3, 5);
    const { bytes } = await exportTflite(model, { batchSize: 3 });
    const interpreter = await loadTflite(bytes);
    expect(interpreter.inputs.map((t) => t.shape)).to.deep.equal([[3, 6], [3, 4, 4, 2]]);
    const out = interpreter.run(xs.map((x) => x.dataSync()));
    const ref = (model.predict(xs) as tf.Tensor).dataSync();
    expect(out[0].shape).to.deep.equal([3, 4, 5]);
    out[0].data.forEach((v, i) => expect(v).to.be.closeTo(ref[i], 1e-4));
    tf.dispose(xs);
    model.dispose();
  });
});
