import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { collab, FileSessionStore, loadModel, Session, StateError } from '@collabopt/core';
import { testMask, testRound } from '../helpers/testPlugins';
import { mlpData, smallMlp, weightsOf } from '../helpers/models';

const quiet = { onWarning: () => {} };

describe('Session save / load', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'collabopt-save-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('save → load → continue training equals training straight through (Adam, latents, plugin order)', async () => {
    const { xs, ys } = mlpData(24);
    const fitArgs = { batchSize: 8, shuffle: false, verbose: 0 as const };

    const straight = smallMlp(5);
    straight.compile({ optimizer: tf.train.adam(0.02), loss: 'meanSquaredError' });
    const s1 = collab(straight, [testMask(), testRound()], quiet);
    await straight.fit(xs, ys, { ...fitArgs, epochs: 4, callbacks: [s1.callback()] });
    await s1.finish();

    const first = smallMlp(5);
    first.compile({ optimizer: tf.train.adam(0.02), loss: 'meanSquaredError' });
    const s2 = collab(first, [testRound(), testMask()], { name: 'resumable', ...quiet });
    await first.fit(xs, ys, { ...fitArgs, epochs: 2, callbacks: [s2.callback()] });
    await s2.save(path.join(dir, 'mid'));
    s2.dispose();

    const resumed = await Session.load(path.join(dir, 'mid'), [testMask(), testRound()], quiet);
    expect(resumed.step).to.equal(6);
    expect(resumed.name).to.equal('resumable');
    await resumed.model.fit(xs, ys, { ...fitArgs, epochs: 2, callbacks: [resumed.callback()] });
    await resumed.finish();

    const a = weightsOf(straight);
    const b = weightsOf(resumed.model);
    a.forEach((w, i) => w.forEach((v, j) => expect(v).to.be.closeTo(b[i][j], 1e-6)));
  });

  it('a later stage inherits the invariants of a saved finished stage', async () => {
    const model = smallMlp();
    const s = collab(model, [testMask()], { name: 'prune', ...quiet });
    await s.finish();
    await s.save(path.join(dir, 'pruned'));
    const { model: loaded, state } = await loadModel(path.join(dir, 'pruned'));
    expect(state.stages).to.deep.equal(['prune']);
    expect(state.get('d1/kernel', 'sparsity')).to.not.equal(undefined);
    const mask = (state.get('d1/kernel', 'sparsity')!.data as { mask: tf.Tensor }).mask.dataSync();
    mask.forEach((m, i) => expect(m).to.equal(i % 3 === 0 ? 0 : 1));
    // And the composer now demands the invariant be kept.
    expect(() => collab(loaded, [testRound()], { state, ...quiet })).to.throw(/sparsity/);
    state.dispose();
  });

  it('rejects a resume with different plugins, and corrupt or missing files with clear errors', async () => {
    const model = smallMlp();
    const s = collab(model, [testMask()], quiet);
    await s.beforeStep();
    await s.save(path.join(dir, 'x'));
    s.dispose();
    const err1 = await Session.load(path.join(dir, 'x'), [testRound()], quiet).catch((e) => e);
    expect(err1).to.be.instanceOf(StateError);
    expect(err1.message).to.match(/saved by a session with plugins \[test-mask\], not \[test-round\]/);

    const err2 = await Session.load(path.join(dir, 'nope'), [testMask()]).catch((e) => e);
    expect(err2).to.be.instanceOf(StateError);
    expect(err2.message).to.match(/does not exist/);

    fs.writeFileSync(path.join(dir, 'x', 'collabopt-state.json'), '{"format": "collabopt-session", "version": 1, "plugins": [');
    const err3 = await Session.load(path.join(dir, 'x'), [testMask()]).catch((e) => e);
    expect(err3.message).to.match(/collabopt-state\.json is not valid JSON/);

    const bin = path.join(dir, 'x', 'weights.bin');
    fs.writeFileSync(bin, fs.readFileSync(bin).subarray(0, 10));
    const err4 = await loadModel(path.join(dir, 'x')).catch((e) => e);
    expect(err4.message).to.match(/weight data has 10 bytes, but model\.json describes \d+/);
  });

  it('rejects state whose mask is corrupt or names weights the model lacks', async () => {
    const model = smallMlp();
    const s = collab(model, [testMask()], quiet);
    await s.finish();
    await s.save(path.join(dir, 'y'));
    const file = path.join(dir, 'y', 'collabopt-state.json');
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    saved.state.invariants['d1/kernel'].sparsity.data.bits = 'AAAA';
    fs.writeFileSync(file, JSON.stringify(saved));
    const err = await loadModel(path.join(dir, 'y')).catch((e) => e);
    expect(err).to.be.instanceOf(StateError);
    expect(err.message).to.match(/weight 'd1\/kernel': sparsity: saved mask is corrupt: bit-packed mask has 3 bytes, expected 6/);
    saved.state.invariants['ghost/kernel'] = saved.state.invariants['d2/kernel'];
    delete saved.state.invariants['d1/kernel'];
    fs.writeFileSync(file, JSON.stringify(saved));
    const err2 = await loadModel(path.join(dir, 'y')).catch((e) => e);
    expect(err2.message).to.match(/invariants for weight 'ghost\/kernel', which the model does not have/);
  });

  it('writes atomically: a failed write leaves the previous directory intact and no temp files', async () => {
    const store = new FileSessionStore();
    const target = path.join(dir, 'atomic');
    await store.write(target, new Map([['a.txt', new TextEncoder().encode('old')]]));
    const bad = new Map([
      ['b.txt', new TextEncoder().encode('new')],
      ['../escape.txt', new TextEncoder().encode('!')],
    ]);
    const err = await store.write(target, bad).catch((e) => e);
    expect(err.message).to.match(/invalid file name/);
    expect(fs.readdirSync(target)).to.deep.equal(['a.txt']);
    expect(fs.readdirSync(dir)).to.deep.equal(['atomic']);
    await store.write(target, new Map([['c.txt', new TextEncoder().encode('newer')]]));
    expect(fs.readdirSync(target)).to.deep.equal(['c.txt']);
    expect(fs.readdirSync(dir)).to.deep.equal(['atomic']);
  });
});
