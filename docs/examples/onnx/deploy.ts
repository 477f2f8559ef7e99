/**
 * A pruned, post-training-quantized MNIST CNN written as ONNX (float32 and QDQ int8) and run in
 * onnxruntime-node. docs/guides/onnx.md walks through it.
 *
 *   node --conditions=source -r ts-node/register docs/examples/onnx/deploy.ts
 */
import * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
// #region imports
import { collab, selectBackend } from '@collabopt/core';
import { formatOnnxInspection, inspectOnnxFile, prune, quantize, writeOnnx } from '@collabopt/plugins';
import * as ort from 'onnxruntime-node';
// #endregion imports
import { createModel, loadData, testAccuracy, type ExampleOptions } from '../existing-code/before';

export async function main(options: ExampleOptions = {}) {
  const log = options.log ?? console.log;
  const outDir = options.outDir ?? 'out';
  const { train, test } = await loadData(options);
  const model = createModel();

  // #region optimize
  const pruning = collab(model, [prune({ finalSparsity: 0.5, endStep: '2ep', frequency: 10 })], { name: 'prune' });
  await model.fit(train.xs, train.ys, { epochs: 2, batchSize: 64, callbacks: [pruning.callback()] });
  const { state: pruned } = await pruning.finish();
  // Post-training quantization: calibrate activation ranges on representative images.
  const ptq = collab(model, [quantize({ mode: 'ptq' })], { train: false, name: 'ptq', state: pruned });
  const representative = train.xs.slice(0, 256);
  await ptq.calibrate(representative);
  representative.dispose();
  const { state } = await ptq.finish();
  // #endregion optimize

  // #region export
  const int8Path = path.join(outDir, 'mnist-int8.onnx');
  const int8 = await writeOnnx(model, int8Path, { mode: 'int8' }, state); // QDQ: int8 weights and activations
  const float = await writeOnnx(model, path.join(outDir, 'mnist-float32.onnx'), { mode: 'float32' }, state);
  log(`int8: ${int8.report.compression}; float32: ${float.report.compression}`); // raw → deflated bytes
  log(`verified on the file: ${int8.report.weights.map((w) => `${w.weightId} ${w.verified.join('+')}`).join(', ')}`);
  // #endregion export

  // #region run
  const session = await ort.InferenceSession.create(int8Path); // graph optimizations on: QDQ runs as integer kernels
  const images = test.xs.slice(0, 200);
  const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', images.dataSync() as Float32Array, images.shape) };
  const logits = (await session.run(feeds))[session.outputNames[0]].data as Float32Array;
  const labels = tf.tidy(() => test.ys.slice(0, 200).argMax(-1).dataSync());
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    const row = logits.subarray(i * 10, (i + 1) * 10);
    if (row.indexOf(Math.max(...row)) === labels[i]) correct++;
  }
  await session.release();
  log(`onnxruntime int8 top-1: ${(correct / labels.length).toFixed(4)}`);
  // #endregion run
  const fakeQuant = testAccuracy(model, test); // predict() emulates int8 until the session is disposed
  log(`tfjs fake-quant top-1: ${fakeQuant.toFixed(4)}`);

  // #region inspect
  log(formatOnnxInspection(await inspectOnnxFile(int8Path))); // opset, operators; per-kernel type, sparsity, distinct values
  // #endregion inspect
  images.dispose();
  return { model, state, int8, float, int8Path, accuracy: correct / labels.length, fakeQuant };
}

if (require.main === module) {
  selectBackend()
    .then(() => main())
    .catch((e) => {
      console.error(e);
      process.exitCode = 1;
    });
}
