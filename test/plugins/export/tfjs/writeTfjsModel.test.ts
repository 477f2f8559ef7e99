import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deflateSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { PluginOptionsError } from '@collabopt/core';
import { formatCompression } from '../../../../plugins/src/export/sizeReport';
import { weightStats } from '../../../../plugins/src/export/weightStats';
import { TfjsExportError } from '../../../../plugins/src/errors/TfjsExportError';
import type { TfjsQuantization } from '../../../../plugins/src/export/tfjs/TfjsQuantization';
import { writeTfjsModel, type WrittenTfjsModel } from '../../../../plugins/src/export/tfjs/writeTfjsModel';
import { exportInput, exportModel, namedWeights, predictFlat, tempDir } from './helpers';
import { serveDirectory } from './serveDirectory';

interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; min?: number; scale?: number };
}

function readManifest(dir: string): { paths: string[]; weights: ManifestEntry[] }[] {
  return JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')).weightsManifest;
}

/** Loads a written export with a stock `tf.loadLayersModel` over http, as a web page would. */
async function loadOverHttp(dir: string): Promise<{ model: tf.LayersModel; requests: string[] }> {
  const server = await serveDirectory(dir);
  try {
    const model = await tf.loadLayersModel(`${server.url}/model.json`);
    return { model, requests: [...server.requests] };
  } finally {
    await server.close();
  }
}

/** Checks the weights a stock loader restored against the originals, per storage form. */
function expectWeightsWithinStorageError(dir: string, original: Map<string, Float32Array>, loaded: Map<string, Float32Array>): void {
  for (const entry of readManifest(dir).flatMap((g) => g.weights)) {
    const a = original.get(entry.name)!;
    const b = loaded.get(entry.name)!;
    const q = entry.quantization;
    a.forEach((v, i) => {
      const where = `${entry.name}[${i}]`;
      if (v === 0) expect(b[i], where).to.equal(0);
      if (!q) expect(b[i], where).to.equal(v);
      // One quantization step per weight (the grid is within half a step; allow the rest for rounding).
      else if (q.dtype === 'uint8' || q.dtype === 'uint16') expect(Math.abs(b[i] - v), where).to.be.at.most(q.scale!);
      // float16 keeps 11 significant bits: relative error ≤ 2^-11, or 2^-25 absolute for subnormals.
      else expect(Math.abs(b[i] - v), where).to.be.at.most(Math.max(Math.abs(v) * 2 ** -11, 2 ** -25));
    });
  }
}

describe('export/tfjs: writeTfjsModel (directory loadable by a stock tf.loadLayersModel)', () => {
  let root: string;
  beforeEach(() => {
    root = tempDir();
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const tolerance: Record<TfjsQuantization, number> = { none: 0, float16: 2e-3, uint16: 1e-4, uint8: 3e-2 };
  for (const quantization of ['none', 'float16', 'uint16', 'uint8'] as const) {
    it(`${quantization}: loads over http and predicts as the original ${quantization === 'none' ? 'exactly' : 'within the storage error'}; zeros stay zero`, async () => {
      const model = exportModel();
      const x = exportInput();
      const dir = path.join(root, 'web');
      const written = await writeTfjsModel(model, dir, { quantization });
      const { model: loaded, requests } = await loadOverHttp(dir);

      expect(requests).to.deep.equal(['model.json', ...readManifest(dir)[0].paths]);
      expectWeightsWithinStorageError(dir, namedWeights(model), namedWeights(loaded));
      const expected = predictFlat(model, x);
      const got = predictFlat(loaded, x);
      if (quantization === 'none') expect(Array.from(got)).to.deep.equal(Array.from(expected));
      else got.forEach((v, i) => expect(v).to.be.closeTo(expected[i], tolerance[quantization] * (1 + Math.abs(expected[i]))));

      // The report describes what the loader restored, per weight and per output channel.
      const restored = namedWeights(loaded);
      for (const w of written.report.weights) {
        const channels = w.original.distinctPerChannel === undefined ? undefined : w.name.startsWith('dw/') ? 8 : w.shape[w.shape.length - 1];
        expect(w.exported, w.name).to.deep.equal(weightStats(restored.get(w.name)!, channels));
        expect(w.exported.sparsity, w.name).to.be.at.least(w.original.sparsity);
      }
      expect(written.report.weights.find((w) => w.name === 'd1/kernel')!.original.sparsity).to.be.closeTo(1 / 3, 0.01);
      x.dispose();
      model.dispose();
      loaded.dispose();
    });
  }

  it('reports raw bytes = the files on disk and deflate bytes = zlib level 6 of them, in the seed’s format', async () => {
    const model = exportModel();
    const dir = path.join(root, 'web');
    const written: WrittenTfjsModel = await writeTfjsModel(model, dir, { quantization: 'uint8', shardSizeBytes: 300 });
    const names = written.report.files.map((f) => f.name);
    expect(names[0]).to.equal('model.json');
    expect([...names].sort()).to.deep.equal(fs.readdirSync(dir).sort());
    const bytes = names.map((n) => fs.readFileSync(path.join(dir, n)));
    written.report.files.forEach((f, i) => expect(f.bytes).to.equal(bytes[i].byteLength));
    const raw = bytes.reduce((n, b) => n + b.byteLength, 0);
    const deflated = deflateSync(Buffer.concat(bytes), { level: 6 }).byteLength;
    expect(written.report.size).to.deep.equal({ raw, deflated, reduction: 1 - deflated / raw });
    expect(written.compression).to.equal(formatCompression({ raw, deflated, reduction: 1 - deflated / raw }));
    expect(written.compression).to.match(/^\d{1,3}(,\d{3})* → \d{1,3}(,\d{3})* \(\d+\.\d{2}%\)$/);
    expect(written.dir).to.equal(path.resolve(dir));
    expect(written.modelJson).to.equal(path.join(path.resolve(dir), 'model.json'));
    model.dispose();
  });

  it('shards the weights as the converter does: group1-shard{i}of{n}.bin, full shards but the last', async () => {
    const model = exportModel();
    const x = exportInput();
    const dir = path.join(root, 'web');
    const shardSizeBytes = 256;
    await writeTfjsModel(model, dir, { shardSizeBytes });
    const { paths } = readManifest(dir)[0];
    const total = model.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a! * b!, 1)! * 4, 0);
    const n = Math.ceil(total / shardSizeBytes);
    expect(n).to.be.greaterThan(3);
    expect(paths).to.deep.equal(Array.from({ length: n }, (_, i) => `group1-shard${i + 1}of${n}.bin`));
    paths.forEach((p, i) =>
      expect(fs.statSync(path.join(dir, p)).size).to.equal(i < n - 1 ? shardSizeBytes : total - shardSizeBytes * (n - 1)),
    );
    const { model: loaded } = await loadOverHttp(dir);
    expect(Array.from(predictFlat(loaded, x))).to.deep.equal(Array.from(predictFlat(model, x)));
    x.dispose();
    model.dispose();
    loaded.dispose();
  });

  it('uses the converter’s 4 MiB shards by default: a 4.4 MB model gets two', async () => {
    // Zeros keep the per-weight statistics cheap; the shard layout does not depend on the values.
    const model = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [1100], units: 1000, useBias: false, kernelInitializer: 'zeros', name: 'big' })],
    });
    const dir = path.join(root, 'web');
    await writeTfjsModel(model, dir);
    const { paths } = readManifest(dir)[0];
    expect(paths).to.deep.equal(['group1-shard1of2.bin', 'group1-shard2of2.bin']);
    expect(fs.statSync(path.join(dir, paths[0])).size).to.equal(4 * 1024 * 1024);
    expect(fs.statSync(path.join(dir, paths[1])).size).to.equal(1100 * 1000 * 4 - 4 * 1024 * 1024);
    model.dispose();
  });

  it('replaces an earlier export as a whole: no stale shards remain', async () => {
    const model = exportModel();
    const dir = path.join(root, 'web');
    await writeTfjsModel(model, dir, { shardSizeBytes: 200 });
    expect(fs.readdirSync(dir).length).to.be.greaterThan(5);
    await writeTfjsModel(model, dir, { quantization: 'uint8' });
    expect(fs.readdirSync(dir).sort()).to.deep.equal(['group1-shard1of1.bin', 'model.json']);
    expect(fs.readdirSync(root)).to.deep.equal(['web']);
    model.dispose();
  });

  describe('a failing export leaves nothing behind and says what was wrong', () => {
    async function rejection(p: Promise<unknown>): Promise<Error> {
      try {
        await p;
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected the export to fail');
    }

    it('target path is an existing file: the file is untouched', async () => {
      const model = exportModel();
      const file = path.join(root, 'web');
      fs.writeFileSync(file, 'not a model');
      const e = await rejection(writeTfjsModel(model, file));
      expect(e).to.be.instanceOf(TfjsExportError);
      expect(e.message).to.contain(`'${file}'`).and.contain('not a directory');
      expect(fs.readFileSync(file, 'utf8')).to.equal('not a model');
      expect(fs.readdirSync(root)).to.deep.equal(['web']);
      model.dispose();
    });

    it('target directory holds other files: refused, nothing deleted', async () => {
      const model = exportModel();
      const dir = path.join(root, 'web');
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'model.json'), '{}');
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
      const e = await rejection(writeTfjsModel(model, dir));
      expect(e).to.be.instanceOf(TfjsExportError);
      expect(e.message).to.contain("'notes.txt'").and.contain('new or empty directory');
      expect(fs.readdirSync(dir).sort()).to.deep.equal(['model.json', 'notes.txt']);
      expect(fs.readdirSync(root)).to.deep.equal(['web']);
      model.dispose();
    });

    it('bad options: the option, what was expected and what was received; no directory', async () => {
      const model = exportModel();
      const dir = path.join(root, 'web');
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ quantization: 'int8' }, /\/quantization: expected one of "none", "uint8", "uint16", "float16", received "int8"/],
        [{ shardSizeBytes: 0 }, /\/shardSizeBytes: expected >= 1, received 0/],
        [{ shardSizeBytes: 1.5 }, /\/shardSizeBytes: expected a value of type integer/],
        [{ quantisation: 'uint8' }, /no option 'quantisation' \(did you mean 'quantization'\?\)/],
      ];
      for (const [options, message] of cases) {
        const e = await rejection(writeTfjsModel(model, dir, options as never));
        expect(e).to.be.instanceOf(PluginOptionsError);
        expect(e.message).to.match(/^tfjsExport: invalid options/).and.match(message);
      }
      expect(fs.readdirSync(root)).to.deep.equal([]);
      model.dispose();
    });

    it('a NaN weight: names the weight; an earlier export in the directory stays as it was', async () => {
      const model = exportModel();
      const dir = path.join(root, 'web');
      await writeTfjsModel(model, dir);
      const before = fs.readdirSync(dir).map((n) => [n, fs.readFileSync(path.join(dir, n))] as const);
      const d1 = model.getLayer('d1');
      const [kernel, bias] = d1.getWeights();
      const broken = kernel.dataSync().slice();
      broken[5] = NaN;
      const brokenKernel = tf.tensor(broken, kernel.shape);
      d1.setWeights([brokenKernel, bias]);
      const e = await rejection(writeTfjsModel(model, dir, { quantization: 'uint8' }));
      expect(e).to.be.instanceOf(TfjsExportError);
      expect(e.message).to.contain("weight 'd1/kernel'").and.contain('1 non-finite value(s)').and.contain('index 5');
      for (const [name, bytes] of before) expect(fs.readFileSync(path.join(dir, name)).equals(bytes), name).to.equal(true);
      expect(fs.readdirSync(dir).length).to.equal(before.length);
      expect(fs.readdirSync(root)).to.deep.equal(['web']);
      brokenKernel.dispose();
      model.dispose();
    });

    it('a weight beyond the float16 range with float16: names the weight and the alternatives; no directory', async () => {
      const model = exportModel();
      const d2 = model.getLayer('d2');
      const [kernel, bias] = d2.getWeights();
      const big = tf.fill(bias.shape, 70000);
      d2.setWeights([kernel, big]);
      const e = await rejection(writeTfjsModel(model, path.join(root, 'web'), { quantization: 'float16' }));
      expect(e).to.be.instanceOf(TfjsExportError);
      expect(e.message).to.contain("weight 'd2/bias'").and.contain('70000').and.contain("'uint16'");
      expect(fs.readdirSync(root)).to.deep.equal([]);
      big.dispose();
      model.dispose();
    });
  });
});
