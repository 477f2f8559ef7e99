import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { decodeSavedLatents, decodeSavedState, readSessionFiles, writeSessionFiles, type SavedSession } from '../../../core/src/session/sessionFiles';
import { getSessionStore, setSessionStore, type SessionStore } from '../../../core/src/io/SessionStore';
import { modelToFiles } from '../../../core/src/io/modelArtifacts';
import { OptimizationState } from '../../../core/src/state/OptimizationState';
import { StateError } from '../../../core/src/errors/StateError';
import { modelWeights } from '../../../core/src/weights/modelWeights';
import '../../../core/src/invariants/SparsityInvariant';

/**
 * A session store in memory: directories are keys, so nothing touches the disk. Like
 * FileSessionStore it also returns the weight shards model.json names (here: every file of the
 * directory), which `SessionStore.read`'s doc does not spell out but `modelFromFiles` needs.
 */
class MemoryStore implements SessionStore {
  readonly dirs = new Map<string, Map<string, Uint8Array>>();
  async write(dir: string, files: ReadonlyMap<string, Uint8Array>): Promise<void> {
    this.dirs.set(dir, new Map(files));
  }
  async read(dir: string, names: readonly string[], optional: readonly string[] = []): Promise<Map<string, Uint8Array>> {
    const files = this.dirs.get(dir);
    if (!files) throw new StateError(`${dir} does not exist`);
    for (const n of names) if (!files.has(n)) throw new StateError(`${dir}/${n} does not exist`);
    void optional;
    return new Map(files);
  }
}

function model(): tf.LayersModel {
  const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 3, name: 'd' })] });
  m.setWeights([tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]), tf.tensor1d([7, 8, 9])]);
  return m;
}

const session = (state: OptimizationState = new OptimizationState()) => ({
  stage: 'prune',
  step: 12,
  epoch: 2,
  finished: false,
  plugins: ['prune'],
  pluginStates: { prune: { lastUpdate: 10 } },
  state: state.toJSON(),
});

describe('sessionFiles', () => {
  let previous: SessionStore | null = null;
  let store: MemoryStore;
  before(() => {
    try {
      previous = getSessionStore();
    } catch {
      previous = null;
    }
  });
  beforeEach(() => {
    store = new MemoryStore();
    setSessionStore(store);
  });
  after(() => setSessionStore(previous));

  it('writes the tfjs model files, the session file and the latents of the given weights, in their order', async () => {
    const m = model();
    const weights = modelWeights(m);
    const kernel = weights.get('d/kernel')!;
    const bias = weights.get('d/bias')!;
    kernel.latent = tf.variable(tf.tensor2d([0.5, 1, 1.5, 2, 2.5, 3], [2, 3]));
    bias.latent = tf.variable(tf.tensor1d([-1, -2, -3]));
    await writeSessionFiles('run', m, session(), [bias, kernel]);
    const files = store.dirs.get('run')!;
    expect([...files.keys()].sort()).to.deep.equal(['collabopt-latents.bin', 'collabopt-state.json', 'model.json', 'weights.bin']);
    const saved = JSON.parse(new TextDecoder().decode(files.get('collabopt-state.json')));
    expect(saved).to.deep.equal({ format: 'collabopt-session', version: 1, ...session(), latents: [{ id: 'd/bias', size: 3 }, { id: 'd/kernel', size: 6 }] });
    const bin = files.get('collabopt-latents.bin')!;
    expect(Array.from(new Float32Array(bin.slice().buffer))).to.deep.equal([-1, -2, -3, 0.5, 1, 1.5, 2, 2.5, 3]);
    kernel.latent.dispose();
    bias.latent.dispose();
  });

  it('without latents (a finished session) writes no latents file', async () => {
    await writeSessionFiles('done', model(), { ...session(), finished: true }, []);
    expect(store.dirs.get('done')!.has('collabopt-latents.bin')).to.equal(false);
  });

  it('readSessionFiles returns the model, the session file and the files; decodeSavedLatents gives views by id', async () => {
    const m = model();
    const kernel = modelWeights(m).get('d/kernel')!;
    kernel.latent = tf.variable(tf.tensor2d([6, 5, 4, 3, 2, 1], [2, 3]));
    await writeSessionFiles('run', m, session(), [kernel]);
    kernel.latent.dispose();
    const { model: back, saved, files } = await readSessionFiles('run');
    expect(Array.from(back.getWeights()[0]!.dataSync())).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect(saved.step).to.equal(12);
    expect(saved.pluginStates).to.deep.equal({ prune: { lastUpdate: 10 } });
    const latents = decodeSavedLatents(saved, files, 'run');
    expect([...latents.keys()]).to.deep.equal(['d/kernel']);
    expect(Array.from(latents.get('d/kernel')!)).to.deep.equal([6, 5, 4, 3, 2, 1]);
  });

  it('a plain tfjs model is an error naming the directory, or reads without a session file when that is optional', async () => {
    await store.write('plain', await modelToFiles(model()));
    const e = await readSessionFiles('plain').catch((err: Error) => err);
    expect(e).to.be.instanceOf(StateError);
    expect((e as Error).message).to.equal('plain has no collabopt-state.json: it is a plain tfjs model, not a saved collabopt session');
    const { model: m, saved } = await readSessionFiles('plain', true);
    expect(saved).to.equal(undefined);
    expect(m.layers[0]!.name).to.equal('d');
  });

  it('a session file that is not JSON, or not a session file, is an error naming the file', async () => {
    const files = await modelToFiles(model());
    const put = async (text: string) => store.write('bad', new Map([...files, ['collabopt-state.json', new TextEncoder().encode(text)]]));
    await put('{"format": ');
    expect(((await readSessionFiles('bad').catch((e: Error) => e)) as Error).message).to.match(/^bad\/collabopt-state\.json is not valid JSON: /);
    for (const text of ['null', '{"format":"collabopt-state","version":1}', '{"format":"collabopt-session","version":2,"plugins":[],"latents":[]}', '{"format":"collabopt-session","version":1,"plugins":[]}']) {
      await put(text);
      const e = (await readSessionFiles('bad').catch((err: Error) => err)) as Error;
      expect(e, text).to.be.instanceOf(StateError);
      expect(e.message, text).to.equal("bad/collabopt-state.json is not a collabopt session file (format 'collabopt-session', version 1)");
    }
  });

  it('decodeSavedLatents: a missing or wrong-sized latents file is an error giving both sizes', () => {
    const saved = { latents: [{ id: 'd/kernel', size: 6 }, { id: 'd/bias', size: 3 }] } as unknown as SavedSession;
    expect(() => decodeSavedLatents(saved, new Map(), 'run')).to.throw(StateError, 'run/collabopt-latents.bin is missing or has 0 bytes, expected 36');
    expect(() => decodeSavedLatents(saved, new Map([['collabopt-latents.bin', new Uint8Array(32)]]), 'run')).to.throw(
      'run/collabopt-latents.bin is missing or has 32 bytes, expected 36',
    );
    // No latents saved: the file is not needed.
    expect(decodeSavedLatents({ latents: [] } as unknown as SavedSession, new Map(), 'run').size).to.equal(0);
  });

  it('decodeSavedState checks the state against the model and prefixes errors with the file', () => {
    const m = model();
    const state = new OptimizationState();
    state.establish('d/kernel', 'sparsity', { mask: tf.tensor2d([1, 0, 1, 0, 1, 0], [2, 3]) }, 'prune');
    const saved = { format: 'collabopt-session', version: 1, ...session(state), latents: [] } as SavedSession;
    state.dispose();
    const decoded = decodeSavedState(saved, m, 'run');
    expect(decoded.has('d/kernel', 'sparsity')).to.equal(true);
    decoded.dispose();
    const ghost = JSON.parse(JSON.stringify(saved));
    ghost.state.invariants['ghost/kernel'] = ghost.state.invariants['d/kernel'];
    expect(() => decodeSavedState(ghost, m, 'run')).to.throw(
      StateError,
      "run/collabopt-state.json: state has invariants for weight 'ghost/kernel', which the model does not have",
    );
  });
});
