import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { collab, loadModel, StateError } from '@collabopt/core';
import { testMask } from '../../helpers/testPlugins';
import { smallMlp } from '../../helpers/models';

describe('loadModel', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'collabopt-loadmodel-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('a plain tfjs model (tf.io file format): the model and an empty state', async () => {
    const model = smallMlp();
    await model.save(tf.io.withSaveHandler(async (a) => {
      await fs.writeFile(path.join(dir, 'model.json'), JSON.stringify({ modelTopology: a.modelTopology, weightsManifest: [{ paths: ['w.bin'], weights: a.weightSpecs }] }));
      await fs.writeFile(path.join(dir, 'w.bin'), new Uint8Array(a.weightData as ArrayBuffer));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const { model: loaded, state } = await loadModel(dir);
    expect(loaded.layers.map((l) => l.name)).to.deep.equal(['d1', 'd2']);
    expect(Array.from(loaded.getWeights()[0]!.dataSync())).to.deep.equal(Array.from(model.getWeights()[0]!.dataSync()));
    expect(state.weightIds()).to.deep.equal([]);
    expect(state.stages).to.deep.equal([]);
  });

  it('a saved finished stage: its invariants, with the stage recorded once', async () => {
    const model = smallMlp();
    const session = collab(model, [testMask()], { name: 'mask', onWarning: () => {} });
    await session.finish();
    await session.save(dir);
    const { state } = await loadModel(dir);
    expect(state.stages).to.deep.equal(['mask']);
    expect(state.has('d1/kernel', 'sparsity')).to.equal(true);
    state.dispose();
  });

  it('a saved running stage records that stage too (what a later stage inherits from it)', async () => {
    const model = smallMlp();
    const session = collab(model, [testMask()], { name: 'half', onWarning: () => {} });
    await session.beforeStep();
    await session.save(dir);
    session.dispose();
    const { state } = await loadModel(dir);
    expect(state.stages).to.deep.equal(['half']);
    state.dispose();
  });

  it('a missing directory is a StateError naming it', async () => {
    const err = await loadModel(path.join(dir, 'nope')).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(StateError);
    expect((err as Error).message).to.equal(`${path.join(dir, 'nope')} does not exist`);
  });
});
