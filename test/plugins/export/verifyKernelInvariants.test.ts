import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { OptimizationState, registerInvariant, SparsityInvariant, type Invariant } from '@collabopt/core';
import { TfjsExportError } from '../../../plugins/src/errors/TfjsExportError';
import { tfjsModelFiles } from '../../../plugins/src/export/tfjs/tfjsModelFiles';
import { sizeReport } from '../../../plugins/src/export/sizeReport';
import { smallMlp } from '../../helpers/models';

/** Defined here, unknown to the exporters: the weight holds exactly these float32 values. */
const ExactInvariant: Invariant<{ values: Float32Array }> = registerInvariant<{ values: Float32Array }>({
  name: 'test-exact-tfjs',
  description: 'the weight holds exactly the recorded values',
  check(value, data) {
    const v = value.dataSync();
    const i = v.findIndex((x, k) => x !== data.values[k]);
    return i < 0 ? null : `element ${i} is ${v[i]}, recorded ${data.values[i]}`;
  },
  encode: (data) => Array.from(data.values),
  decode: (json) => ({ values: Float32Array.from(json as number[]) }),
});

describe('verifyKernelInvariants: the tfjs exporter verifies every invariant of the state on the decoded weights', () => {
  it('a custom invariant holds in a lossless export and is listed; a lossy one that breaks it fails, naming it', async () => {
    const model = smallMlp();
    const state = new OptimizationState();
    state.establish('d1/kernel', ExactInvariant, { values: Float32Array.from(model.getLayer('d1').getWeights()[0].dataSync()) }, 'test');
    const lossless = await tfjsModelFiles(model, { quantization: 'none' }, sizeReport, state);
    expect(lossless.report.weights.find((w) => w.weightId === 'd1/kernel')!.verified).to.deep.equal(['test-exact-tfjs']);
    expect(lossless.report.weights.find((w) => w.weightId === 'd2/kernel')!.verified).to.deep.equal([]);
    const err = await tfjsModelFiles(model, { quantization: 'uint8' }, sizeReport, state).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(TfjsExportError);
    expect((err as Error).message).to.match(/weight 'd1\/kernel' \(stored as uint8, quantization 'uint8'\) does not show the 'test-exact-tfjs' invariant the session claims: element \d+ is /);
    state.dispose();
    model.dispose();
  });

  it('built-in sparsity is verified on quantized storage too', async () => {
    const model = smallMlp();
    const kernel = model.getLayer('d1').getWeights()[0];
    const mask = tf.tidy(() => tf.cast(tf.greater(tf.abs(kernel), 0.2), 'float32'));
    const masked = tf.mul(kernel, mask);
    model.getLayer('d1').weights[0].write(masked);
    masked.dispose();
    const state = new OptimizationState();
    state.establish('d1/kernel', SparsityInvariant, { mask }, 'test');
    const { report } = await tfjsModelFiles(model, { quantization: 'uint8' }, sizeReport, state);
    expect(report.weights.find((w) => w.weightId === 'd1/kernel')!.verified).to.deep.equal(['sparsity']);
    state.dispose();
    model.dispose();
  });
});
