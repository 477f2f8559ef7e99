import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { exportTflite } from '../../../plugins/src/export/tflite/exportTflite';
import { LiteRtUnavailableError } from '../../../recipes/src/errors/LiteRtUnavailableError';
import { TfliteUnavailableError } from '../../../recipes/src/errors/TfliteUnavailableError';
import { tfliteUnavailableReason } from '../../../recipes/src/runner/loadTflite';
import {
  TFLITE_RUNTIME_LABELS,
  TFLITE_RUNTIMES,
  isRuntimeUnavailable,
  runTfliteRows,
  tfliteRuntimeUnavailableReason,
} from '../../../recipes/src/runner/TfliteRuntime';
import { inputsFor, multiInputFunctional } from '../../plugins/export/tflite/fixtures';

// The LiteRT side of runTfliteRows (Chromium) is test/recipes/runner/litert.test.ts; here the
// Node interpreter (TFLite 2.9) and what both runtimes share, without starting a browser.

const flat = (xs: tf.Tensor[]) => xs.map((x) => x.dataSync() as Float32Array);

describe('TfliteRuntime', () => {
  it('lists both runtimes, the reference (LiteRT) first, with the labels the results table shows', () => {
    expect(TFLITE_RUNTIMES).to.deep.equal(['litert', 'tflite-2.9']);
    expect(TFLITE_RUNTIME_LABELS).to.deep.equal({ litert: 'LiteRT', 'tflite-2.9': 'TFLite 2.9' });
  });

  it('isRuntimeUnavailable tells "the runtime is missing" from "the file or input is wrong"', () => {
    expect(isRuntimeUnavailable(new LiteRtUnavailableError('no Chromium'))).to.equal(true);
    expect(isRuntimeUnavailable(new TfliteUnavailableError('not installed'))).to.equal(true);
    expect(isRuntimeUnavailable(new Error("TFLite input 'x' takes 3 values per row"))).to.equal(false);
    expect(isRuntimeUnavailable('LiteRtUnavailableError')).to.equal(false);
  });

  describe("runTfliteRows('tflite-2.9')", function () {
    this.timeout(60_000);
    let model: tf.LayersModel;
    let bytes: Uint8Array;
    before(async function () {
      const reason = tfliteUnavailableReason();
      if (reason !== null) {
        console.log(`      (skipped: ${reason})`);
        this.skip();
      }
      model = multiInputFunctional();
      bytes = (await exportTflite(model, { mode: 'float32' })).bytes;
    });
    after(() => model?.dispose());

    it('tfliteRuntimeUnavailableReason agrees that it is usable', async () => {
      expect(await tfliteRuntimeUnavailableReason('tflite-2.9')).to.equal(null);
    });

    it('runs every row of a batch, one invocation per row, and gives tfjs predict() for a float32 file', async () => {
      const rows = 9;
      const xs = inputsFor(model, rows);
      try {
        const r = await runTfliteRows('tflite-2.9', bytes, flat(xs), rows);
        expect(r.inputs.map((t) => t.name)).to.deep.equal(['vec', 'img']);
        expect(r.outputs).to.have.length(1);
        const expected = (model.predict(xs) as tf.Tensor).dataSync();
        expect(r.values[0]!.length).to.equal(expected.length);
        r.values[0]!.forEach((v, i) => expect(Math.abs(v - expected[i]!), `value ${i}`).to.be.below(1e-5));
        expect(r.ms).to.be.at.least(0);
      } finally {
        tf.dispose(xs);
      }
    });

    it('row k of the result depends only on row k of the inputs (no state carried between invocations)', async () => {
      const xs = inputsFor(model, 4);
      try {
        const all = (await runTfliteRows('tflite-2.9', bytes, flat(xs), 4)).values[0]!;
        const per = all.length / 4;
        const last = xs.map((x) => x.slice([3], [1]));
        const alone = (await runTfliteRows('tflite-2.9', bytes, flat(last), 1)).values[0]!;
        expect(Array.from(alone)).to.deep.equal(Array.from(all.subarray(3 * per, 4 * per)));
        tf.dispose(last);
      } finally {
        tf.dispose(xs);
      }
    });

    it('reads a file given by path, and accepts plain number arrays as inputs', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'collabopt-tfliteruntime-'));
      try {
        const file = path.join(dir, 'm.tflite');
        fs.writeFileSync(file, bytes);
        const xs = inputsFor(model, 2);
        const fromBytes = await runTfliteRows('tflite-2.9', bytes, flat(xs), 2);
        const fromFile = await runTfliteRows('tflite-2.9', file, xs.map((x) => Array.from(x.dataSync())), 2);
        expect(Array.from(fromFile.values[0]!)).to.deep.equal(Array.from(fromBytes.values[0]!));
        tf.dispose(xs);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('inputs that do not fit the rows are an error naming the input and both sizes', async () => {
      const err = await runTfliteRows('tflite-2.9', bytes, [new Float32Array(12), new Float32Array(10)], 2).then(() => null, (e: unknown) => e);
      expect(err).to.be.instanceOf(Error);
      expect(isRuntimeUnavailable(err)).to.equal(false);
      expect((err as Error).message).to.equal("TFLite input 'img' takes 32 values per row, got 10 for 2 rows");
    });
  });
});
