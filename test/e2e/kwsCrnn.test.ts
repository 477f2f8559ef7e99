/**
 * The keyword-spotting CRNN of issue 16 (Conv2D → Reshape → GRU → Dense), end to end: pruned and
 * then clustered for a few steps on random spectrograms (`prune` and `cluster` target the GRU's
 * kernel and recurrent kernel by default), exported float32, float16 and dynamic-range, each run
 * in TFLite 2.9 against tfjs predict(), with the invariants read back from the files; int8 is
 * refused before any training, naming the GRU. With a SimpleRNN in the GRU's place the CRNN is
 * exported in int8 too (PTQ and QAT) and measured against the fake-quant model.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { collab, type OptimizationState, type SparsityData } from '@collabopt/core';
import { cluster } from '../../plugins/src/clustering/ClusterPlugin';
import { prune } from '../../plugins/src/pruning/PrunePlugin';
import { sparsityConstraint } from '../../plugins/src/pruning/SparsityConstraintPlugin';
import { quantize } from '../../plugins/src/quantization/QuantizePlugin';
import { tflite } from '../../plugins/src/export/tflite/TfliteExporter';
import { exportTflite } from '../../plugins/src/export/tflite/exportTflite';
import { checkRecipeExports } from '../../recipes/src/runner/checkRecipeExports';
import { RecipeInputError } from '../../recipes/src/errors/RecipeInputError';
import type { Recipe } from '../../recipes/src/recipe/Recipe';
import { measureInt8Fidelity } from '../helpers/int8Fidelity';
import { kwsCrnn, kwsData } from '../helpers/sequenceModels';
import { runtimesToCheck } from '../helpers/liteRt';
import { withTrainingBackend } from '../helpers/mnist';
import { compareWithTflite } from '../plugins/export/tflite/compareWithTflite';
import { predictRows } from '../plugins/export/tflite/fixtures';

const KERNELS = ['conv/kernel', 'gru/kernel', 'gru/recurrent_kernel', 'classes/kernel'];
const quiet = { onWarning: () => {} };

function zeroFraction(model: tf.LayersModel, id: string): number {
  const [layer, name] = id.split('/');
  const w = model.getLayer(layer).weights.find((v) => v.originalName.endsWith(`/${name}`))!;
  const v = w.read().dataSync();
  return v.filter((x) => x === 0).length / v.length;
}

describe('KWS CRNN (Conv2D → Reshape → GRU → Dense): prune, cluster, export float32 / float16 / dynamic-range', function () {
  withTrainingBackend(this);
  let model: tf.LayersModel;
  let data: { xs: tf.Tensor4D; ys: tf.Tensor2D };
  let state: OptimizationState;

  before(async () => {
    model = kwsCrnn(1);
    data = kwsData(64);
    const fit = async (plugins: Parameters<typeof collab>[1], name: string, inherited?: OptimizationState) => {
      const session = collab(model, plugins, { name, state: inherited, checkEvery: 'step', ...quiet });
      model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
      await model.fit(data.xs, data.ys, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0, callbacks: [session.callback()] });
      return (await session.finish()).state;
    };
    const pruned = await fit([prune({ finalSparsity: 0.5, endStep: 4, frequency: 2 })], 'prune');
    state = await fit([cluster({ numClusters: 8 }), sparsityConstraint()], 'cluster', pruned);
  });
  after(() => {
    tf.dispose([data.xs, data.ys]);
    model.dispose();
  });

  it('prune and cluster target the GRU kernel and recurrent kernel by default (bias untouched)', () => {
    for (const id of KERNELS) {
      expect(state.get<SparsityData>(id, 'sparsity'), id).to.not.equal(undefined);
      expect(state.get(id, 'clusters'), id).to.not.equal(undefined);
      expect(zeroFraction(model, id), id).to.be.within(0.45, 0.8);
    }
    expect(state.get('gru/bias', 'sparsity')).to.equal(undefined);
    const recurrent = model.getLayer('gru').weights.find((v) => v.originalName.endsWith('/recurrent_kernel'))!.read().dataSync();
    expect(new Set(recurrent).size).to.be.at.most(8);
  });

  for (const [mode, tolerance] of [['float32', 1e-5], ['float16', 2e-3], ['dynamic-range', 0.08]] as const) {
    it(`${mode}: TFLite 2.9 computes what predict() computes (within ${tolerance}); every kernel's sparsity and clusters verified on the file`, async () => {
      const xs = [data.xs.slice(0, 6)];
      try {
        const reference = Array.from({ length: 6 }, (_, i) => predictRows(model, xs, i));
        const { bytes, report } = await exportTflite(model, { mode }, state);
        const c = await compareWithTflite(bytes, xs, reference);
        expect(c.maxAbsError).to.be.below(tolerance);
        expect(c.maxAbsReference).to.be.above(0.1);
        for (const id of KERNELS) {
          const w = report.weights.find((x) => x.weightId === id)!;
          expect(w.verified, `${mode} ${id}`).to.include.members(['sparsity', 'clusters']);
          expect(w.dtype).to.equal(mode === 'float32' ? 'float32' : mode === 'float16' ? 'float16' : 'int8');
        }
      } finally {
        tf.dispose(xs);
      }
    });
  }

  it('int8 is refused before training: the tflite plugin when applied, and a recipe asking for it (exit 2), naming the GRU', () => {
    const fresh = kwsCrnn(2);
    try {
      expect(() => collab(fresh, [quantize({ exclude: ['gru'] }), tflite({ path: 'never-written.tflite', mode: 'int8' })], quiet)).to.throw(
        /'gru' \(GRU\): not in int8: .*the quantize plugin emulates no rounding inside GRU/,
      );
      const recipe = (exports: Recipe['exports']) => ({ name: 'kws', exports }) as unknown as Recipe;
      let thrown: unknown;
      try {
        checkRecipeExports(recipe([{ format: 'tflite', mode: 'float32' }, { format: 'tflite', mode: 'int8' }] as Recipe['exports']), fresh);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).to.be.instanceOf(RecipeInputError);
      expect((thrown as RecipeInputError).code).to.equal('recipe-input');
      expect((thrown as Error).message).to.match(/recipe 'kws', exports\[1\] \(tflite int8\): [\s\S]*'gru' \(GRU\): not in int8/);
      // Float exports pass; the INT8 column says why it has no file.
      const check = checkRecipeExports(recipe([{ format: 'tflite', mode: 'dynamic-range' }, { format: 'onnx', mode: 'float32' }] as Recipe['exports']), fresh);
      expect(check.int8Unavailable).to.equal("no int8 TFLite form: 'gru' (GRU)");
      expect(() => checkRecipeExports(recipe([{ format: 'onnx', mode: 'int8' }] as Recipe['exports']), fresh)).to.throw(/exports\[0\] \(onnx int8\): [\s\S]*'gru' \(GRU\)/);
    } finally {
      fresh.dispose();
    }
  });
});

describe('KWS CRNN with a SimpleRNN (Conv2D → Reshape → SimpleRNN → Dense softmax) in int8', function () {
  this.timeout(120000);
  for (const scenario of ['ptq', 'qat'] as const) {
    it(`${scenario}: the softmax within 1 output step of the fake-quant model in every runtime; its logits within 2 logit steps (LiteRT; 3 in TFLite 2.9)`, async () => {
      const runtimes = await runtimesToCheck(`KWS CRNN (SimpleRNN) int8 ${scenario}`);
      for (const seed of [1, 2]) {
        const r = await measureInt8Fidelity(kwsCrnn(seed, 'SimpleRNN'), scenario, { seed, runtimes });
        for (const runtime of runtimes) expect(r.byRuntime![runtime], `seed ${seed}, ${runtime}`).to.be.at.most(1 + 1e-4);
        // 8 recurrent steps of 3 roundings each, between a conv and a dense: the contract's deeper
        // models (2 steps). TFLite 2.9 (measured first only without LiteRT) adds one-level flips
        // of its own (README, SimpleRNN fidelity).
        expect(r.softmaxHead!.logitSteps, `seed ${seed} logits (${runtimes[0]})`).to.be.at.most((runtimes[0] === 'litert' ? 2 : 3) + 1e-4);
        expect(r.softmaxHead!.softmaxSteps, `seed ${seed} softmax of the file's logits`).to.be.at.most(1);
      }
    });
  }
});
