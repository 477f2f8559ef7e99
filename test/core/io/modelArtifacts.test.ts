import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { MODEL_JSON, WEIGHTS_BIN, modelFromFiles, modelToFiles } from '../../../core/src/io/modelArtifacts';
import { StateError } from '../../../core/src/errors/StateError';
import { setDetWeights } from '../../helpers/models';

function mlp(compile: boolean): tf.LayersModel {
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [3], units: 4, activation: 'relu', name: 'a' }), tf.layers.dense({ units: 2, name: 'b' })],
  });
  setDetWeights(model, 5);
  if (compile) model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  return model;
}

const json = (files: ReadonlyMap<string, Uint8Array>) => JSON.parse(new TextDecoder().decode(files.get(MODEL_JSON)!));
const withJson = (files: ReadonlyMap<string, Uint8Array>, edit: (j: Record<string, unknown>) => void) => {
  const j = json(files);
  edit(j);
  return new Map([...files, [MODEL_JSON, new TextEncoder().encode(JSON.stringify(j))]]);
};

async function rejection(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(() => null, (err: Error) => err);
  expect(e, 'expected a rejection').to.be.instanceOf(StateError);
  return e!;
}

describe('modelArtifacts', () => {
  it('modelToFiles writes model.json and one weights.bin shard; modelFromFiles rebuilds the same model bit for bit', async () => {
    const model = mlp(false);
    const files = await modelToFiles(model);
    expect([...files.keys()]).to.deep.equal([MODEL_JSON, WEIGHTS_BIN]);
    expect(MODEL_JSON).to.equal('model.json');
    expect(WEIGHTS_BIN).to.equal('weights.bin');
    const j = json(files);
    expect(j.format).to.equal('layers-model');
    expect(j.weightsManifest).to.have.length(1);
    expect(j.weightsManifest[0].paths).to.deep.equal([WEIGHTS_BIN]);
    expect(j.weightsManifest[0].weights.map((w: { name: string }) => w.name)).to.deep.equal(['a/kernel', 'a/bias', 'b/kernel', 'b/bias']);
    expect(j).to.not.have.property('trainingConfig');
    expect(files.get(WEIGHTS_BIN)!.byteLength).to.equal((3 * 4 + 4 + 4 * 2 + 2) * 4);

    const back = await modelFromFiles(files, 'mem');
    expect(back.layers.map((l) => l.name)).to.deep.equal(['a', 'b']);
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(back.getWeights().map((w) => Array.from(w.dataSync()))).to.deep.equal(before);
  });

  it('a compiled model carries its training config and optimizer state (unless includeOptimizer: false)', async () => {
    const model = mlp(true);
    await model.fit(tf.ones([4, 3]), tf.ones([4, 2]), { epochs: 1, batchSize: 2, verbose: 0 });
    const files = await modelToFiles(model);
    const j = json(files);
    expect(j.trainingConfig.loss).to.equal('mean_squared_error');
    const names: string[] = j.weightsManifest[0].weights.map((w: { name: string }) => w.name);
    expect(names.length, 'Adam moments and its iteration count are saved too').to.be.greaterThan(4);
    const back = await modelFromFiles(files, 'mem');
    expect(back.optimizer, 'the optimizer is rebuilt').to.not.equal(undefined);
    const lean = await modelToFiles(model, { includeOptimizer: false });
    expect(json(lean).weightsManifest[0].weights).to.have.length(4);
    expect(lean.get(WEIGHTS_BIN)!.byteLength).to.be.lessThan(files.get(WEIGHTS_BIN)!.byteLength);
  });

  it('reads weights split across several shards, in manifest order', async () => {
    const files = await modelToFiles(mlp(false));
    const bin = files.get(WEIGHTS_BIN)!;
    const split = withJson(files, (j) => {
      (j.weightsManifest as { paths: string[] }[])[0]!.paths = ['w1.bin', 'w2.bin'];
    });
    split.delete(WEIGHTS_BIN);
    split.set('w1.bin', bin.slice(0, 20));
    split.set('w2.bin', bin.slice(20));
    const back = await modelFromFiles(split, 'mem');
    const original = await modelFromFiles(files, 'mem');
    expect(back.getWeights().map((w) => Array.from(w.dataSync()))).to.deep.equal(original.getWeights().map((w) => Array.from(w.dataSync())));
  });

  describe('a corrupt save fails with a StateError saying what is wrong and where', () => {
    it('model.json missing', async () => {
      const files = await modelToFiles(mlp(false));
      files.delete(MODEL_JSON);
      expect((await rejection(modelFromFiles(files, 'runs/x'))).message).to.equal('runs/x: model.json is missing');
    });

    it('model.json not JSON', async () => {
      const files = new Map([[MODEL_JSON, new TextEncoder().encode('{"modelTopology": ')]]);
      expect((await rejection(modelFromFiles(files, 'runs/x'))).message).to.match(/^runs\/x\/model\.json is not valid JSON: /);
    });

    it('model.json without topology or manifest', async () => {
      const files = await modelToFiles(mlp(false));
      for (const key of ['modelTopology', 'weightsManifest']) {
        const broken = withJson(files, (j) => delete j[key]);
        expect((await rejection(modelFromFiles(broken, 'runs/x'))).message, key).to.equal(
          'runs/x/model.json is not a tfjs Layers model (modelTopology and weightsManifest are required)',
        );
      }
    });

    it('a shard named in the manifest missing', async () => {
      const files = await modelToFiles(mlp(false));
      files.delete(WEIGHTS_BIN);
      expect((await rejection(modelFromFiles(files, 'runs/x'))).message).to.equal("runs/x: weight file 'weights.bin' named in model.json is missing");
    });

    it('weight data shorter or longer than the manifest describes', async () => {
      const files = await modelToFiles(mlp(false));
      const bin = files.get(WEIGHTS_BIN)!;
      for (const bytes of [bin.slice(0, 10), new Uint8Array(bin.byteLength + 4)]) {
        const broken = new Map([...files, [WEIGHTS_BIN, bytes]]);
        expect((await rejection(modelFromFiles(broken, 'runs/x'))).message).to.equal(
          `runs/x: weight data has ${bytes.byteLength} bytes, but model.json describes ${bin.byteLength} (truncated or mismatched files)`,
        );
      }
    });

    it('a topology tfjs cannot rebuild', async () => {
      const files = await modelToFiles(mlp(false));
      const broken = withJson(files, (j) => {
        const topology = j.modelTopology as { config: { layers: { class_name: string }[] } };
        topology.config.layers[0]!.class_name = 'NoSuchLayer';
      });
      expect((await rejection(modelFromFiles(broken, 'runs/x'))).message).to.match(/^runs\/x: the saved model cannot be rebuilt: .*NoSuchLayer/);
    });
  });
});
