/**
 * The models users bring: a pretrained base inside a Sequential (transfer learning) and models
 * applied as layers inside functional models, through targeting, every plugin, save/resume, the
 * tfjs export (loaded by stock tfjs) and the TFLite exporter (nested models inlined), float32 and
 * int8 within one output step of the fake-quant model.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { collab, modelLayers, Session, type Plugin } from '@collabopt/core';
import { cluster } from '../../plugins/src/clustering/ClusterPlugin';
import { tfjsExport } from '../../plugins/src/export/tfjs/TfjsExporter';
import { exportTflite } from '../../plugins/src/export/tflite/exportTflite';
import { prune } from '../../plugins/src/pruning/PrunePlugin';
import { quantize } from '../../plugins/src/quantization/QuantizePlugin';
import { loadRecipeModel } from '../../recipes/src/models/loadRecipeModel';
import { loadTflite } from '../../recipes/src/runner/loadTflite';
import { maxOutputSteps } from '../helpers/int8Fidelity';
import { inputsFor, randomize } from '../plugins/export/tflite/fixtures';
import { serveDirectory } from '../plugins/export/tfjs/serveDirectory';

const quiet = { onWarning: () => {} };
/** A difference of exactly k steps, divided by the step in float, can read k + 1e-7. */
const slack = 1e-4;

/** The tfjs-models / Teachable Machine pattern: `model.add(base); model.add(head)`. */
function transferLearning(): tf.Sequential {
  const base = tf.sequential({
    name: 'base',
    layers: [
      tf.layers.conv2d({ inputShape: [10, 10, 2], filters: 6, kernelSize: 3, name: 'base_conv1' }),
      tf.layers.batchNormalization({ name: 'base_bn1' }),
      tf.layers.reLU({ name: 'base_relu1' }),
      tf.layers.depthwiseConv2d({ kernelSize: 3, name: 'base_dw', activation: 'relu' }),
      tf.layers.conv2d({ filters: 8, kernelSize: 1, name: 'base_pw', activation: 'relu' }),
      tf.layers.globalAveragePooling2d({ name: 'base_gap' }),
    ],
  });
  const model = tf.sequential({ name: 'transfer' });
  model.add(base);
  model.add(tf.layers.dense({ units: 5, name: 'head' }));
  randomize(model, 3);
  return model;
}

/**
 * A functional model that calls a nested functional block (itself holding a nested Sequential)
 * between its own layers, and a second block on a residual branch.
 */
function functionalWithBlocks(): tf.LayersModel {
  const stemIn = tf.input({ shape: [8, 8, 4] });
  const innerSeq = tf.sequential({
    name: 'block_inner',
    layers: [tf.layers.conv2d({ inputShape: [8, 8, 4], filters: 4, kernelSize: 3, padding: 'same', name: 'inner_conv', activation: 'relu' })],
  });
  const blockConv = tf.layers.conv2d({ filters: 4, kernelSize: 1, name: 'block_pw' }).apply(innerSeq.apply(stemIn)) as tf.SymbolicTensor;
  const blockBn = tf.layers.batchNormalization({ name: 'block_bn' }).apply(blockConv) as tf.SymbolicTensor;
  const block = tf.model({ inputs: stemIn, outputs: tf.layers.reLU({ name: 'block_relu' }).apply(blockBn) as tf.SymbolicTensor, name: 'block' });

  const x = tf.input({ shape: [8, 8, 3], name: 'image' });
  const stem = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'stem', activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  const b = block.apply(stem) as tf.SymbolicTensor;
  const sum = tf.layers.add({ name: 'residual' }).apply([stem, b]) as tf.SymbolicTensor;
  const pooled = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(sum) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 3, name: 'logits' }).apply(pooled) as tf.SymbolicTensor;
  const model = tf.model({ inputs: x, outputs: out, name: 'with_blocks' });
  randomize(model, 5);
  return model;
}

/** Trains `model` briefly under `plugins` on random data, returning the fake-quant outputs of `xs` before finish(). */
async function optimize(model: tf.LayersModel, plugins: Plugin[], xs: tf.Tensor): Promise<{ session: Session; reference: Float32Array[] }> {
  model.compile({ optimizer: tf.train.adam(0.002), loss: 'meanSquaredError' });
  const session = collab(model, plugins, quiet);
  const inShape = model.inputs[0]!.shape.slice(1) as number[];
  const outUnits = model.outputs[0]!.shape[1] as number;
  const trainX = tf.randomUniform([32, ...inShape], 0, 1, 'float32', 7);
  const trainY = tf.randomNormal([32, outUnits], 0, 1, 'float32', 8);
  await model.fit(trainX, trainY, { epochs: 3, batchSize: 8, verbose: 0, callbacks: [session.callback()] });
  const out = model.predict(xs) as tf.Tensor;
  const rows = out.arraySync() as number[][];
  tf.dispose([trainX, trainY, out]);
  return { session, reference: rows.map((r) => Float32Array.from(r)) };
}

function zeros(values: Float32Array | Int32Array | Uint8Array): number {
  let n = 0;
  for (const v of values) if (v === 0) n++;
  return n / values.length;
}

describe('nested models (transfer learning, blocks as layers)', function () {
  this.timeout(120_000);

  it('collab() accepts a Sequential whose first layer is a pretrained base and targets the base by name, regex and class', async () => {
    const model = transferLearning();
    expect(model.layers[0]!.built, 'tfjs leaves a nested Sequential unbuilt').to.equal(false);
    const xs = inputsFor(model, 4)[0]!;
    const plugins = [
      prune({ schedule: { type: 'constantSparsity', targetSparsity: 0.5, frequency: 1 }, include: ['/^base_/', { className: 'Dense' }] }),
      cluster({ numClusters: 6, include: ['base_pw'] }),
    ];
    const { session } = await optimize(model, plugins, xs);
    await session.finish();
    for (const name of ['base_conv1', 'base_pw', 'head']) {
      const kernel = model.getLayer(name === 'head' ? 'head' : 'base')!;
      const layer = name === 'head' ? kernel : (kernel as tf.LayersModel).getLayer(name);
      expect(zeros(layer.getWeights()[0]!.dataSync() as Float32Array), `${name} sparsity`).to.be.at.least(0.5);
    }
    const pw = (model.getLayer('base') as tf.LayersModel).getLayer('base_pw').getWeights()[0]!.dataSync();
    expect(new Set(pw).size, 'base_pw distinct values (6 clusters, zeros kept)').to.be.at.most(6);
    xs.dispose();
  });

  it('prune + QAT on a transfer-learning model: the int8 file (base inlined) is within one output step of the fake-quant model', async () => {
    const model = transferLearning();
    const xs = inputsFor(model, 16)[0]!;
    const { session, reference } = await optimize(
      model,
      [prune({ schedule: { type: 'constantSparsity', targetSparsity: 0.5, frequency: 1 } }), quantize()],
      xs,
    );
    await session.finish();
    const { bytes, report } = await exportTflite(model, { mode: 'int8' }, session.state);
    const fidelity = await maxOutputSteps(bytes, xs, reference);
    expect(fidelity.maxSteps, 'max |file − fake-quant| in output steps').to.be.at.most(1 + slack);
    const conv = report.weights.find((w) => w.layer === 'base_conv1')!;
    expect(conv.verified).to.include('sparsity');
    expect(conv.sparsity).to.be.at.least(0.5);
    xs.dispose();
  });

  it('a functional model calling nested blocks: float32 file equals tfjs, int8 after QAT and after PTQ within one step', async () => {
    const model = functionalWithBlocks();
    const xs = inputsFor(model, 16)[0]!;
    const float = await exportTflite(model, { mode: 'float32' });
    const interpreter = await loadTflite(float.bytes);
    const expected = (model.predict(xs) as tf.Tensor).dataSync();
    const data = xs.dataSync();
    const rowSize = 8 * 8 * 3;
    for (let i = 0; i < 16; i++) {
      const [out] = interpreter.run([data.subarray(i * rowSize, (i + 1) * rowSize)]);
      out!.data.forEach((v, j) => expect(v).to.be.closeTo(expected[i * 3 + j]!, 1e-5 * Math.max(1, Math.abs(expected[i * 3 + j]!))));
    }
    // The exporter inlines the blocks: no layer of the file is a nested model, and BN is folded.
    expect(float.report.foldedBatchNorms).to.deep.equal(['block_bn → block_pw']);

    const qat = await optimize(model, [quantize()], xs);
    await qat.session.finish();
    const int8 = await exportTflite(model, { mode: 'int8' }, qat.session.state);
    expect((await maxOutputSteps(int8.bytes, xs, qat.reference)).maxSteps, 'QAT').to.be.at.most(1 + slack);

    const ptqModel = functionalWithBlocks();
    const ptq = collab(ptqModel, [quantize({ mode: 'ptq' })], quiet);
    await ptq.calibrate(inputsFor(ptqModel, 32, 21)[0]!);
    const ptqReference = ((ptqModel.predict(xs) as tf.Tensor).arraySync() as number[][]).map((r) => Float32Array.from(r));
    await ptq.finish();
    const ptqFile = await exportTflite(ptqModel, { mode: 'int8' }, ptq.state);
    expect((await maxOutputSteps(ptqFile.bytes, xs, ptqReference)).maxSteps, 'PTQ').to.be.at.most(1 + slack);
    xs.dispose();
  });

  it('a block called twice exports as two calls of its shared layers: float32 exact, int8 within the any-model bound', async () => {
    const a = tf.input({ shape: [6] });
    const b = tf.input({ shape: [6] });
    const sum = tf.layers.add({ name: 'blk_add' }).apply([a, b]) as tf.SymbolicTensor;
    const blk = tf.model({ inputs: [a, b], outputs: tf.layers.dense({ units: 6, name: 'blk_d', activation: 'relu' }).apply(sum) as tf.SymbolicTensor, name: 'blk' });
    const x = tf.input({ shape: [6], name: 'x' });
    const h = tf.layers.dense({ units: 6, name: 'pre' }).apply(x) as tf.SymbolicTensor;
    const y = blk.apply([blk.apply([x, h]) as tf.SymbolicTensor, h]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: tf.layers.dense({ units: 2, name: 'out' }).apply(y) as tf.SymbolicTensor });
    randomize(model, 9);
    const xs = inputsFor(model, 16)[0]!;
    const float = await exportTflite(model, { mode: 'float32' });
    const [out] = (await loadTflite(float.bytes)).run([xs.dataSync().subarray(0, 6)]);
    const expected = (model.predict(xs.slice(0, 1)) as tf.Tensor).dataSync();
    out!.data.forEach((v, j) => expect(v).to.be.closeTo(expected[j]!, 1e-5));
    const { session, reference } = await optimize(model, [quantize()], xs);
    await session.finish();
    const int8 = await exportTflite(model, { mode: 'int8' }, session.state);
    // Shared layers have one range for both calls, and 'blk_add' reads the model input only in
    // its first call, yet QAT quantizes that input position in both (see the issue note).
    expect((await maxOutputSteps(int8.bytes, xs, reference)).maxSteps).to.be.at.most(2 + slack);
    xs.dispose();
  });

  it('exporting does not change the user model: same layers, same predictions, no nodes added by repeated exports', async () => {
    const model = functionalWithBlocks();
    const xs = inputsFor(model, 2)[0]!;
    const before = (model.predict(xs) as tf.Tensor).dataSync().slice();
    const nodes = () => modelLayers(model).map((l) => (l as unknown as { inboundNodes: unknown[] }).inboundNodes.length);
    await exportTflite(model, { mode: 'float32' });
    const afterFirst = nodes();
    await exportTflite(model, { mode: 'float32' });
    expect(nodes()).to.deep.equal(afterFirst);
    expect(model.layers.map((l) => l.name)).to.deep.equal(['image', 'stem', 'block', 'residual', 'gap', 'logits']);
    expect(Array.from((model.predict(xs) as tf.Tensor).dataSync())).to.deep.equal(Array.from(before));
    xs.dispose();
  });

  describe('files', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'collabopt-nested-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('save → load → resume keeps the nested structure, the weights and the pruning masks', async () => {
      const model = functionalWithBlocks();
      model.compile({ optimizer: tf.train.adam(0.002), loss: 'meanSquaredError' });
      const plugins = () => [prune({ schedule: { type: 'constantSparsity', targetSparsity: 0.5, frequency: 1 } })];
      const session = collab(model, plugins(), { name: 'nested', ...quiet });
      const xs = tf.randomUniform([16, 8, 8, 3], 0, 1, 'float32', 1);
      const ys = tf.randomNormal([16, 3], 0, 1, 'float32', 2);
      await model.fit(xs, ys, { epochs: 1, batchSize: 8, verbose: 0, callbacks: [session.callback()] });
      await session.save(path.join(dir, 'mid'));
      const saved = model.getWeights().map((w) => w.dataSync().slice());
      session.dispose();

      const resumed = await Session.load(path.join(dir, 'mid'), plugins(), quiet);
      expect(resumed.model.getLayer('block')).to.satisfy((l: tf.layers.Layer) => Array.isArray((l as tf.LayersModel).layers));
      resumed.model.getWeights().forEach((w, i) => expect(Array.from(w.dataSync())).to.deep.equal(Array.from(saved[i]!)));
      await resumed.model.fit(xs, ys, { epochs: 1, batchSize: 8, verbose: 0, callbacks: [resumed.callback()] });
      await resumed.finish();
      const inner = (resumed.model.getLayer('block') as tf.LayersModel).getLayer('block_inner') as tf.LayersModel;
      expect(zeros(inner.getLayer('inner_conv').getWeights()[0]!.dataSync() as Float32Array)).to.be.at.least(0.5);
      tf.dispose([xs, ys]);
    });

    it("a recipe's model.path loads a saved nested model with its state", async () => {
      const model = transferLearning();
      const xs = inputsFor(model, 2)[0]!;
      const { session } = await optimize(model, [prune({ schedule: { type: 'constantSparsity', targetSparsity: 0.5, frequency: 1 } })], xs);
      await session.finish();
      await session.save(path.join(dir, 'pruned'));
      const loaded = await loadRecipeModel({ path: path.join(dir, 'pruned') });
      expect(loaded.origin).to.equal('path');
      const base = loaded.model.getLayer('base') as tf.LayersModel;
      expect(base.layers.map((l) => l.name)).to.include('base_conv1');
      expect(loaded.state!.get('base_conv1/kernel', 'sparsity')).to.not.equal(undefined);
      expect(Array.from((loaded.model.predict(xs) as tf.Tensor).dataSync())).to.deep.equal(Array.from((model.predict(xs) as tf.Tensor).dataSync()));
      loaded.state!.dispose();
      xs.dispose();
    });

    it('the tfjs export of a nested model loads in stock tfjs and predicts what the session model predicts', async () => {
      const model = transferLearning();
      const xs = inputsFor(model, 4)[0]!;
      const out = path.join(dir, 'web');
      const { session } = await optimize(model, [prune({ schedule: { type: 'constantSparsity', targetSparsity: 0.5, frequency: 1 } }), tfjsExport({ path: out })], xs);
      await session.finish();
      const server = await serveDirectory(out);
      try {
        const loaded = await tf.loadLayersModel(`${server.url}/model.json`);
        const a = (loaded.predict(xs) as tf.Tensor).dataSync();
        const b = (model.predict(xs) as tf.Tensor).dataSync();
        a.forEach((v, i) => expect(v).to.be.closeTo(b[i]!, 1e-5));
        const conv = (loaded.getLayer('base') as tf.LayersModel).getLayer('base_conv1').getWeights()[0]!.dataSync();
        expect(zeros(conv as Float32Array)).to.be.at.least(0.5);
        loaded.dispose();
      } finally {
        await server.close();
      }
      xs.dispose();
    });
  });
});
