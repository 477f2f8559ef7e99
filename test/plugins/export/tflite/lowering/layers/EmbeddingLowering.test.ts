import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { ClustersInvariant, OptimizationState, SparsityInvariant } from '@collabopt/core';
import { checkTfliteSupport } from '../../../../../../plugins/src/export/tflite/lowering/checkTfliteSupport';
import { exportTflite } from '../../../../../../plugins/src/export/tflite/exportTflite';
import { embeddingModel, tokenInputs } from '../../../../../helpers/sequenceModels';
import { compareWithTflite } from '../../compareWithTflite';
import { predictRows } from '../../fixtures';

const SAMPLES = 5;

describe('EmbeddingLowering: CAST + GATHER of the table, stored in Keras order', function () {
  this.timeout(60000);
  let model: tf.LayersModel;
  let xs: tf.Tensor[];
  let reference: Float32Array[][];
  before(() => {
    model = embeddingModel(1, false);
    xs = [tokenInputs(SAMPLES)];
    reference = Array.from({ length: SAMPLES }, (_, i) => predictRows(model, xs, i));
  });
  after(() => {
    tf.dispose(xs);
    model.dispose();
  });

  it('float32: the file computes what tfjs predict() computes (within 1e-5), the table [inputDim, outputDim] as the model holds it', async () => {
    const { bytes, report } = await exportTflite(model, { mode: 'float32' });
    const c = await compareWithTflite(bytes, xs, reference);
    expect(c.maxAbsError).to.be.below(1e-5);
    expect(c.maxAbsReference).to.be.above(0.1);
    expect(report.operators.map((o) => o.code)).to.include.members(['CAST', 'GATHER']);
    const table = report.weights.find((w) => w.weightId === 'embedding/embeddings')!;
    expect(table.shape).to.deep.equal([12, 5]);
    expect(table.dtype).to.equal('float32');
  });

  it('float16 stores the table as float16; dynamic-range keeps it float32 (TFLite has no hybrid GATHER) and quantizes the Dense', async () => {
    const half = await exportTflite(model, { mode: 'float16' });
    expect(half.report.weights.find((w) => w.weightId === 'embedding/embeddings')!.dtype).to.equal('float16');
    expect((await compareWithTflite(half.bytes, xs, reference)).maxAbsError).to.be.below(5e-3);
    const dynamic = await exportTflite(model, { mode: 'dynamic-range' });
    expect(dynamic.report.weights.map((w) => [w.weightId, w.dtype])).to.deep.equal([
      ['embedding/embeddings', 'float32'],
      ['head/kernel', 'int8'],
    ]);
    expect((await compareWithTflite(dynamic.bytes, xs, reference)).maxAbsError).to.be.below(0.05);
  });

  it("the table's invariants are read back from the file: a sparse, clustered table keeps its zeros and its values per output channel", async () => {
    const table = model.getLayer('embedding').getWeights()[0];
    const original = table.clone();
    // Four values per output column, every other row zero.
    const values = tf.tidy(() => {
      const v = table.arraySync() as number[][];
      return tf.tensor2d(v.map((row, r) => row.map((x, c) => (r % 2 === 0 ? 0 : Math.round(x * 2) / 2 + c))));
    });
    model.getLayer('embedding').setWeights([values]);
    const state = new OptimizationState();
    try {
      state.establish('embedding/embeddings', SparsityInvariant, { mask: tf.tidy(() => tf.notEqual(values, 0).toFloat()) }, 'test');
      state.establish('embedding/embeddings', ClustersInvariant, { k: 4, channels: 5 }, 'test');
      for (const mode of ['float32', 'float16'] as const) {
        const { report } = await exportTflite(model, { mode }, state);
        const w = report.weights.find((x) => x.weightId === 'embedding/embeddings')!;
        expect(w.verified, mode).to.include.members(['sparsity', 'clusters']);
        expect(w.sparsity, mode).to.be.at.least(0.5);
      }
      // A claim the table does not show is caught on the file's bytes.
      state.release('clusters', 'embedding/embeddings');
      state.establish('embedding/embeddings', ClustersInvariant, { k: 2, channels: 5 }, 'test');
      let thrown: unknown;
      await exportTflite(model, { mode: 'float32' }, state).catch((e: unknown) => (thrown = e));
      expect(String(thrown)).to.match(/embedding\/embeddings.*'clusters'/);
    } finally {
      model.getLayer('embedding').setWeights([original]);
      tf.dispose([values, original]);
      state.dispose();
    }
  });

  it('refuses maskZero (files carry no masks) and int8, naming the layer, its class and why', () => {
    const input = tf.input({ shape: [4] });
    const masked = tf.model({ inputs: input, outputs: tf.layers.embedding({ inputDim: 5, outputDim: 2, maskZero: true, name: 'masked' }).apply(input) as tf.SymbolicTensor });
    expect(() => checkTfliteSupport(masked)).to.throw(/'masked' \(Embedding\): maskZero: true; TFLite files carry no masks/);
    expect(() => checkTfliteSupport(model)).to.not.throw();
    expect(() => checkTfliteSupport(model, 'int8')).to.throw(/'embedding' \(Embedding\): not in int8: an int8 GATHER writes the table's own int8 grid/);
    masked.dispose();
  });
});
