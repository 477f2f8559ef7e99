import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { collab, PluginOptionsError } from '@collabopt/core';
import { TfjsExportError } from '../../../../plugins/src/errors/TfjsExportError';
import { tfjsExport } from '../../../../plugins/src/export/tfjs/TfjsExporter';
import type { TfjsExportReport } from '../../../../plugins/src/export/tfjs/TfjsExportReport';
import { testMask } from '../../../helpers/testPlugins';
import { mlpData, smallMlp } from '../../../helpers/models';
import { tempDir } from './helpers';
import { serveDirectory } from './serveDirectory';

const quiet = { onWarning: () => {} };

describe('export/tfjs: the tfjsExport plugin', () => {
  let root: string;
  beforeEach(() => {
    root = tempDir();
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('exports the finished session’s model through the export hook, with the pruned zeros intact', async () => {
    const model = smallMlp(3);
    model.compile({ optimizer: tf.train.adam(0.02), loss: 'meanSquaredError' });
    const { xs, ys } = mlpData(16);
    const dir = path.join(root, 'web');
    const session = collab(model, [tfjsExport({ path: dir, quantization: 'uint8' }), testMask()], quiet);
    await model.fit(xs, ys, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [session.callback()] });
    expect(fs.existsSync(dir)).to.equal(false);
    const { artifacts } = await session.finish();

    expect(artifacts).to.have.length(1);
    const [artifact] = artifacts;
    expect(artifact.exporter).to.equal('tfjs');
    expect(artifact.path).to.equal(path.join(path.resolve(dir), 'model.json'));
    const report = artifact.report as unknown as TfjsExportReport & { compression: string };
    expect(report.quantization).to.equal('uint8');
    expect(report.compression).to.match(/^[\d,]+ → [\d,]+ \(\d+\.\d{2}%\)$/);
    // testMask zeroes every third element of the Dense kernels; the export keeps each one exactly.
    const kernel = report.weights.find((w) => w.name === 'd1/kernel')!;
    expect(kernel.original.sparsity).to.equal(16 / 48);
    expect(kernel.exported.sparsity).to.be.at.least(16 / 48);

    const server = await serveDirectory(dir);
    try {
      const loaded = await tf.loadLayersModel(`${server.url}/model.json`);
      const exported = loaded.getLayer('d1').getWeights()[0].dataSync();
      const trained = model.getLayer('d1').getWeights()[0].dataSync();
      exported.forEach((v, i) => {
        if (i % 3 === 0) expect(v, `d1/kernel[${i}]`).to.equal(0);
        else expect(v).to.be.closeTo(trained[i], kernel.step!);
      });
      loaded.dispose();
    } finally {
      await server.close();
    }
    tf.dispose([xs, ys]);
    model.dispose();
  });

  it('rejects bad options when the plugin is made, naming the option', () => {
    expect(() => tfjsExport()).to.throw(PluginOptionsError, /tfjsExport: invalid options[\s\S]*\/path: expected a value \(required\)/);
    expect(() => tfjsExport({ path: '' })).to.throw(PluginOptionsError, /\/path: expected/);
    expect(() => tfjsExport({ path: 'x', quantization: 'int8' as never })).to.throw(PluginOptionsError, /\/quantization: expected one of/);
    expect(() => tfjsExport({ path: 'x', shardSizeBytes: -4 })).to.throw(PluginOptionsError, /\/shardSizeBytes: expected >= 1/);
    expect(tfjsExport({ path: 'x' }).options).to.deep.equal({ path: 'x', quantization: 'none', shardSizeBytes: 4 * 1024 * 1024 });
  });

  it('fails when the session is made, before any training, if the path can never be written', () => {
    const file = path.join(root, 'taken');
    fs.writeFileSync(file, 'x');
    const model = smallMlp();
    expect(() => collab(model, [tfjsExport({ path: file })], quiet)).to.throw(TfjsExportError, /not a directory/);
    expect(fs.readFileSync(file, 'utf8')).to.equal('x');
    expect(fs.readdirSync(root)).to.deep.equal(['taken']);
    model.dispose();
  });

  it('declares what the exported weights keep: zeros and cluster counts always, the int8 grid only losslessly', () => {
    expect(tfjsExport({ path: 'x', quantization: 'uint8' }).invariants).to.deep.equal({
      establishes: [],
      preserves: ['sparsity', 'clusters'],
      requires: [],
    });
    expect(tfjsExport({ path: 'x' }).invariants.preserves).to.deep.equal(['sparsity', 'clusters', 'int8-grid']);
  });
});
