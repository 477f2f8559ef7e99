/**
 * ONNX exports of a recipe through the `collabopt` dispatcher: `{ "format": "onnx", "mode": ... }`
 * in `exports` writes the files with their sizes in the output and the report, the files run in
 * onnxruntime-node, and `collabopt inspect` reads them.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'chai';
import * as ort from 'onnxruntime-node';
import { runCli } from '../../../recipes/src/cli/runCli';
import type { RunReport } from '../../../recipes/src/report/RunReport';
import { withTrainingBackend } from '../../helpers/mnist';

async function cli(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runCli(argv, { cwd, out: (l) => void stdout.push(l), err: (l) => void stderr.push(l) });
  return { code, out: stdout.join('\n'), err: stderr.join('\n') };
}

const RECIPE = {
  name: 'tiny-onnx',
  model: { builtin: 'mnist-cnn' },
  data: { dataset: 'mnist', trainSamples: 500, testSamples: 100, representativeSamples: 100 },
  baseline: { epochs: 1, batchSize: 50, optimizer: { type: 'adam', learningRate: 0.005 } },
  stages: [
    { name: 'prune', plugins: [{ plugin: 'prune', finalSparsity: 0.5, endStep: 5, frequency: 5 }], epochs: 1, batchSize: 50 },
    { name: 'ptq', plugins: [{ plugin: 'quantize', mode: 'ptq' }], calibrate: { batchSize: 50 } },
  ],
  exports: [{ format: 'onnx', mode: 'int8' }, { format: 'onnx' }],
};

describe('recipes: ONNX exports (wasm backend)', function () {
  withTrainingBackend(this);
  let dir: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'collabopt-onnx-'));
    await fs.writeFile(path.join(dir, 'tiny-onnx.json'), JSON.stringify(RECIPE));
  });
  after(async () => fs.rm(dir, { recursive: true, force: true }));

  it('writes model-int8.onnx and model-float32.onnx with raw → deflate sizes in the output and the report; both run; inspect reads them', async () => {
    const run = await cli(dir, 'run', 'tiny-onnx.json', '--out', 'out', '--json');
    expect(run.code, run.err).to.equal(0);
    const report = JSON.parse(run.out) as RunReport;
    const exports = report.recipes[0]!.exports;
    expect(exports.map((e) => [e.format, e.variant, path.basename(e.path)])).to.deep.equal([
      ['onnx', 'int8', 'model-int8.onnx'],
      ['onnx', 'float32', 'model-float32.onnx'],
    ]);
    for (const e of exports) {
      const bytes = await fs.readFile(e.path);
      expect(e.size.raw).to.equal(bytes.byteLength);
      expect(e.size.deflated).to.be.within(1, e.size.raw);
      expect(e.compression).to.match(/^[\d,]+ → [\d,]+ \(\d+\.\d\d%\)$/);
      const session = await ort.InferenceSession.create(new Uint8Array(bytes), { graphOptimizationLevel: 'all' });
      const input = new ort.Tensor('float32', new Float32Array(2 * 28 * 28).fill(0.5), [2, 28, 28, 1]);
      const out = (await session.run({ [session.inputNames[0]!]: input }))[session.outputNames[0]!]!;
      expect(out.dims).to.deep.equal([2, 10]);
      await session.release();
    }
    // int8 weights take a quarter of float32's (the QDQ nodes add a little); pruning shows in the deflated size.
    expect(exports[0]!.size.raw).to.be.below(exports[1]!.size.raw / 2);
    expect(exports[1]!.size.reduction).to.be.above(0.2);

    const inspected = await cli(dir, 'inspect', 'out/tiny-onnx/model-int8.onnx');
    expect(inspected.code, inspected.err).to.equal(0);
    expect(inspected.out).to.match(/ONNX IR v7, opset 13, by collabopt/);
    expect(inspected.out).to.match(/QuantizeLinear ×\d+/);
    expect(inspected.out).to.match(/conv2\/kernel\s+int8\s+\[16, 8, 3, 3\]\s+Conv\s+16\s+1,152\s+(5\d|6\d)\.\d\d%/);
    const json = JSON.parse((await cli(dir, 'inspect', 'out/tiny-onnx/model-float32.onnx', '--json')).out) as { kind: string; weights: { sparsity: number }[] };
    expect(json.kind).to.equal('onnx');
    expect(json.weights.length).to.be.at.least(3);

    await fs.writeFile(path.join(dir, 'bad.onnx'), 'not a model');
    const bad = await cli(dir, 'inspect', 'bad.onnx');
    expect(bad.code).to.equal(2);
    expect(bad.err).to.match(/collabopt inspect: bad\.onnx is not an ONNX model/);
  });
});
