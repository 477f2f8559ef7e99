import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Int8GridInvariant, OptimizationState, SparsityInvariant, ClustersInvariant } from '@collabopt/core';
import { exportTflite } from '../../../../plugins/src/export/tflite/exportTflite';
import { inspectTflite } from '../../../../plugins/src/export/tflite/read/inspectTflite';
import { observeActivationRanges } from '../../../../plugins/src/export/tflite/observeActivationRanges';
import { readTflite, storedValues } from '../../../../plugins/src/export/tflite/read/readTflite';
import { TfliteExportError } from '../../../../plugins/src/errors/TfliteExportError';
import { writeTflite } from '../../../../plugins/src/export/tflite/writeTflite';
import { quantizeWeightsSymmetric } from '../../../../plugins/src/quantization/quantizeWeightsSymmetric';
import type { WeightGranularity } from '../../../../plugins/src/quantization/weightChannelLayout';
import { detValues } from '../../../helpers/models';
import { compareWithTflite, expectRunsInTflite } from './compareWithTflite';
import { inputsFor, multiInputFunctional, predictRows, randomize } from './fixtures';

/** conv (→ BN folded → ReLU), depthwise, dense: one kernel of each layout. */
function model(): tf.LayersModel {
  const m = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 4, kernelSize: 3, padding: 'same', name: 'conv' }),
      tf.layers.batchNormalization({ name: 'bn' }),
      tf.layers.reLU({ name: 'relu' }),
      tf.layers.conv2d({ filters: 3, kernelSize: 3, name: 'conv2' }),
      tf.layers.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2, activation: 'relu', name: 'dw' }),
      tf.layers.flatten({ name: 'flat' }),
      tf.layers.dense({ units: 4, name: 'dense' }),
    ],
  });
  randomize(m, 21);
  return m;
}

/** Keras-order values of kernel `tensor` in `bytes` (levels for int8), given its Keras shape. */
function kernelFromFile(bytes: Uint8Array, tensor: string, kerasShape: number[], depthwise: boolean): number[] {
  const t = readTflite(bytes).tensors.find((x) => x.name === tensor)!;
  const stored = storedValues(t);
  const out = kerasShape[kerasShape.length - 1] * (depthwise ? kerasShape[2] : 1);
  const n = stored.length;
  const per = n / out;
  const keras = new Array<number>(n);
  for (let j = 0; j < n; j++) keras[depthwise ? j : (j % per) * out + Math.floor(j / per)] = stored[j];
  return keras;
}

/** Puts a weight on k shared values with every third element pruned; returns its mask. */
function pruneAndCluster(m: tf.LayersModel, id: string, centroids: number[]): tf.Tensor {
  const w = m.weights.find((v) => v.originalName === id)!;
  const n = w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
  const u = detValues(n, 99);
  const values = Float32Array.from(u, (x, i) => (i % 3 === 0 ? 0 : centroids[Math.floor(((x + 1) / 2) * centroids.length) % centroids.length]));
  const t = tf.tensor(values, w.shape as number[]);
  w.write(t);
  t.dispose();
  return tf.tensor(values.map((v, i) => (i % 3 === 0 ? 0 : 1)), w.shape as number[]);
}

describe('TFLite export: the written weights show the session\'s invariants', function () {
  this.timeout(30000);
  let m: tf.LayersModel;
  let calibration: tf.Tensor[];
  let dir: string;

  beforeEach(() => {
    m = model();
    calibration = inputsFor(m, 32, 5);
    dir = mkdtempSync(join(tmpdir(), 'tflite-inv-'));
  });
  afterEach(() => {
    m.dispose();
    tf.dispose(calibration);
    rmSync(dir, { recursive: true, force: true });
  });

  it('sparsity and clusters (per tensor, per channel, across a folded BatchNorm) survive int8, dynamic-range and float16', async () => {
    const state = new OptimizationState();
    // conv: folded with bn, clustered per tensor; conv2: per channel; dense: per tensor.
    state.establish('conv/kernel', SparsityInvariant, { mask: pruneAndCluster(m, 'conv/kernel', [-0.4, -0.1, 0.25, 0.5]) }, 'test');
    state.establish('conv/kernel', ClustersInvariant, { k: 5, channels: null }, 'test');
    state.establish('conv2/kernel', SparsityInvariant, { mask: pruneAndCluster(m, 'conv2/kernel', [-0.3, 0.2, 0.45]) }, 'test');
    state.establish('conv2/kernel', ClustersInvariant, { k: 4, channels: 3 }, 'test');
    state.establish('dense/kernel', SparsityInvariant, { mask: pruneAndCluster(m, 'dense/kernel', [-0.2, -0.05, 0.1, 0.3, 0.35]) }, 'test');
    state.establish('dense/kernel', ClustersInvariant, { k: 6, channels: null }, 'test');
    await observeActivationRanges(m, calibration, { state });

    for (const mode of ['int8', 'dynamic-range', 'float16', 'float32'] as const) {
      const { bytes, report } = await exportTflite(m, { mode }, state);
      await expectRunsInTflite(bytes);
      const byId = new Map(report.weights.map((w) => [w.weightId, w]));
      for (const id of ['conv/kernel', 'conv2/kernel', 'dense/kernel']) {
        expect(byId.get(id)!.verified, `${mode} ${id}`).to.include.members(['sparsity', 'clusters']);
        expect(byId.get(id)!.sparsity, `${mode} ${id}`).to.be.at.least(1 / 3 - 1e-9);
      }
      expect(byId.get('conv/kernel')!.foldedBatchNorm).to.equal('bn');
      expect(byId.get('conv/kernel')!.notes.join(' ')).to.match(/checked per output channel/);
      // Read back independently of the exporter's own verification.
      const inspected = new Map(inspectTflite(bytes).weights.map((w) => [w.tensor, w]));
      expect(inspected.get('conv2/kernel')!.distinctPerChannel).to.be.at.most(4);
      expect(inspected.get('dense/kernel')!.distinct).to.be.at.most(6);
      expect(inspected.get('conv/kernel')!.distinctPerChannel).to.be.at.most(5);
      const mask = (state.get('dense/kernel', 'sparsity')!.data as { mask: tf.Tensor }).mask.dataSync();
      const dense = kernelFromFile(bytes, 'dense/kernel', [12, 4], false);
      mask.forEach((v, i) => v === 0 && expect(dense[i], `${mode} dense element ${i}`).to.equal(0));
    }
    // conv2, clustered per channel, keeps one scale per output channel.
    const { bytes } = await exportTflite(m, { mode: 'int8' }, state);
    await expectRunsInTflite(bytes);
    expect(readTflite(bytes).tensors.find((t) => t.name === 'conv2/kernel')!.quantization!.scales.length).to.equal(3);
    state.release('sparsity', 'conv2/kernel');
    state.dispose();
  });

  it('without a grid, a kernel clustered per tensor gets one scale for all channels, so k values stay k levels (TFMOT #1056)', async () => {
    const state = new OptimizationState();
    // Depthwise kernel [2, 2, 3, 2]: channel c (= element % 6) holds 0.1·(c+1) or −0.05; 7 values in all.
    const w = m.weights.find((v) => v.originalName === 'dw/depthwise_kernel')!;
    const values = Float32Array.from({ length: 24 }, (_, i) => (Math.floor(i / 6) % 2 === 0 ? 0.1 * ((i % 6) + 1) : -0.05));
    const t = tf.tensor(values, [2, 2, 3, 2]);
    w.write(t);
    t.dispose();
    state.establish('dw/depthwise_kernel', ClustersInvariant, { k: 7, channels: null }, 'test');
    await observeActivationRanges(m, calibration, { state });
    for (const mode of ['int8', 'dynamic-range'] as const) {
      const { bytes, report } = await exportTflite(m, { mode }, state);
      await expectRunsInTflite(bytes);
      const scales = readTflite(bytes).tensors.find((x) => x.name === 'dw/depthwise_kernel')!.quantization!.scales;
      expect(scales.length).to.equal(6);
      expect(new Set(scales).size).to.equal(1);
      const entry = report.weights.find((x) => x.weightId === 'dw/depthwise_kernel')!;
      expect(entry.verified).to.include('clusters');
      expect(entry.distinct).to.equal(7);
    }
    state.dispose();
  });

  it('weights on the state\'s int8-grid are written with exactly those scales and levels; BatchNorm folding carries the grid per channel', async () => {
    const state = new OptimizationState();
    const grids: [string, WeightGranularity, number | null][] = [
      ['conv/kernel', { kind: 'perAxis', axis: -1 }, 4],
      ['conv2/kernel', { kind: 'perAxis', axis: -1 }, 3],
      ['dw/depthwise_kernel', { kind: 'depthwise' }, 6],
      ['dense/kernel', { kind: 'perTensor' }, null],
    ];
    const levels = new Map<string, Int8Array>();
    for (const [id, granularity, channels] of grids) {
      const w = m.weights.find((v) => v.originalName === id)!;
      const q = quantizeWeightsSymmetric(w.read(), { granularity });
      w.write(q.values);
      q.values.dispose();
      levels.set(id, q.q);
      state.establish(id, Int8GridInvariant, { scales: q.scales, channels, bits: 8 }, 'test');
    }
    await observeActivationRanges(m, calibration, { state });
    const { bytes, report } = await exportTflite(m, { mode: 'int8' }, state);
    await expectRunsInTflite(bytes);
    const byId = new Map(report.weights.map((w) => [w.weightId, w]));
    for (const id of ['conv/kernel', 'conv2/kernel', 'dw/depthwise_kernel', 'dense/kernel']) expect(byId.get(id)!.verified, id).to.include('int8-grid');
    expect(byId.get('conv/kernel')!.notes.join(' ')).to.match(/through the folded BatchNormalization 'bn'/);
    expect(kernelFromFile(bytes, 'conv2/kernel', [3, 3, 4, 3], false)).to.deep.equal(Array.from(levels.get('conv2/kernel')!));
    expect(kernelFromFile(bytes, 'dw/depthwise_kernel', [2, 2, 3, 2], true)).to.deep.equal(Array.from(levels.get('dw/depthwise_kernel')!));
    expect(kernelFromFile(bytes, 'dense/kernel', [12, 4], false)).to.deep.equal(Array.from(levels.get('dense/kernel')!));
    // Folding multiplies channel c by m_c = γ/√(σ²+ε): the levels stay, with the sign of m_c.
    const bn = m.getLayer('bn').getWeights().map((t) => t.dataSync());
    const [gamma, , , variance] = bn;
    const folded = kernelFromFile(bytes, 'conv/kernel', [3, 3, 2, 4], false);
    levels.get('conv/kernel')!.forEach((q, i) => expect(folded[i]).to.equal(Math.sign(gamma[i % 4] / Math.sqrt(variance[i % 4] + 1e-3)) * q + 0));
    const scales = readTflite(bytes).tensors.find((t) => t.name === 'conv/kernel')!.quantization!.scales;
    const original = (state.get('conv/kernel', 'int8-grid')!.data as { scales: Float32Array }).scales;
    scales.forEach((s, c) => expect(s).to.be.closeTo(original[c] * Math.abs(gamma[c] / Math.sqrt(variance[c] + 1e-3)), 1e-6 * s));
    state.dispose();
  });

  it('without a grid, kernels get exactly the scales and levels quantizeWeightsSymmetric (the fake-quant) computes', async () => {
    const state = new OptimizationState();
    await observeActivationRanges(m, calibration, { state });
    const { bytes } = await exportTflite(m, { mode: 'int8' }, state);
    await expectRunsInTflite(bytes);
    const expectSame = (id: string, shape: number[], granularity: WeightGranularity, depthwise: boolean) => {
      const w = m.weights.find((v) => v.originalName === id)!.read();
      const q = quantizeWeightsSymmetric(w, { granularity });
      q.values.dispose();
      expect(kernelFromFile(bytes, id, shape, depthwise), id).to.deep.equal(Array.from(q.q));
      const scales = readTflite(bytes).tensors.find((t) => t.name === id)!.quantization!.scales;
      expect(Array.from(scales), id).to.deep.equal(Array.from(q.scales));
    };
    expectSame('conv2/kernel', [3, 3, 4, 3], { kind: 'perAxis', axis: -1 }, false);
    expectSame('dw/depthwise_kernel', [2, 2, 3, 2], { kind: 'depthwise' }, true);
    expectSame('dense/kernel', [12, 4], { kind: 'perTensor' }, false);
    state.dispose();
  });

  it('a claim the weights do not satisfy fails loudly, and nothing is written', async () => {
    const path = join(dir, 'model.tflite');
    const state = new OptimizationState();
    await observeActivationRanges(m, calibration, { state });
    // The mask prunes every other element, but the weights were never pruned.
    const w = m.weights.find((v) => v.originalName === 'conv2/kernel')!;
    state.establish('conv2/kernel', SparsityInvariant, { mask: tf.tensor(detValues(w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 4).map((_, i) => i % 2), w.shape as number[]) }, 'test');
    const err = await writeTflite(m, path, { mode: 'int8' }, state).then(() => null, (e: unknown) => e);
    expect(err).to.be.instanceOf(TfliteExportError);
    expect((err as TfliteExportError).reason).to.equal('invariant');
    expect((err as Error).message).to.match(/'conv2\/kernel'.*'sparsity'.*pruned position at \[/s);
    expect(existsSync(path)).to.equal(false);
    expect(readdirSync(dir)).to.deep.equal([]);
    state.release('sparsity');
    // Too many distinct values for the claimed clusters.
    state.establish('dense/kernel', ClustersInvariant, { k: 3, channels: null }, 'test');
    const err2 = await exportTflite(m, { mode: 'float32' }, state).then(() => null, (e: unknown) => e);
    expect((err2 as TfliteExportError).reason).to.equal('invariant');
    expect((err2 as Error).message).to.match(/'dense\/kernel'.*'clusters'.*at most 3 claimed/s);
    state.dispose();
  });

  it('weights off the claimed int8-grid, or a per-channel grid on a Dense kernel, are refused with the weight and element named', async () => {
    const state = new OptimizationState();
    await observeActivationRanges(m, calibration, { state });
    const w = m.weights.find((v) => v.originalName === 'conv2/kernel')!;
    const q = quantizeWeightsSymmetric(w.read(), { granularity: { kind: 'perAxis', axis: -1 } });
    q.values.dispose();
    // Scales 1.37 times too large: the weights are not integer multiples of them.
    state.establish('conv2/kernel', Int8GridInvariant, { scales: q.scales.map((s) => s * 1.37), channels: 3, bits: 8 }, 'test');
    const err = await exportTflite(m, { mode: 'int8' }, state).then(() => null, (e: unknown) => e);
    expect((err as TfliteExportError).reason).to.equal('weight-grid');
    expect((err as Error).message).to.match(/'conv2\/kernel' at \[\d+, \d+, \d+, \d+\] = .* is not on the int8-grid/);
    state.release('int8-grid');
    state.establish('dense/kernel', Int8GridInvariant, { scales: new Float32Array([0.01, 0.02, 0.03, 0.04]), channels: 4, bits: 8 }, 'test');
    const err2 = await exportTflite(m, { mode: 'dynamic-range' }, state).then(() => null, (e: unknown) => e);
    expect((err2 as TfliteExportError).reason).to.equal('weight-grid');
    expect((err2 as Error).message).to.match(/'dense\/kernel' \(Dense\) has a per-channel int8-grid.*per tensor/);
    state.dispose();
  });

  it('int8 output agrees with the float model on the claimed weights (the claims do not cost accuracy in the file)', async () => {
    const state = new OptimizationState();
    state.establish('conv2/kernel', SparsityInvariant, { mask: pruneAndCluster(m, 'conv2/kernel', [-0.3, 0.2, 0.45]) }, 'test');
    state.establish('conv2/kernel', ClustersInvariant, { k: 4, channels: null }, 'test');
    await observeActivationRanges(m, calibration, { state });
    const xs = inputsFor(m, 8, 77);
    const reference = Array.from({ length: 8 }, (_, i) => predictRows(m, xs, i));
    const { bytes } = await exportTflite(m, { mode: 'int8' }, state);
    const c = await compareWithTflite(bytes, xs, reference);
    expect(c.maxAbsError).to.be.below(0.05 * Math.max(1, c.maxAbsReference));
    tf.dispose(xs);
    state.dispose();
  });

  it('a tensor without a range of its own read only by ReLU or Concatenate takes their grid (the quantize plugin\'s deferred placement)', async () => {
    const mm = multiInputFunctional();
    const xs = inputsFor(mm, 32, 8);
    const state = new OptimizationState();
    await observeActivationRanges(mm, xs, { state });
    // QAT quantizes Concatenate → ReLU once, after the ReLU, and a Concatenate's inputs not at all.
    state.activationRanges.delete('m_cat');
    state.activationRanges.delete('m_add3');
    const { bytes, report } = await exportTflite(mm, { mode: 'int8' }, state);
    const tensors = new Map(readTflite(bytes).tensors.map((t) => [t.name, t.quantization!]));
    expect(tensors.get('m_cat')!.scales[0]).to.equal(tensors.get('m_relu6')!.scales[0]);
    expect(tensors.get('m_cat')!.zeroPoints[0]).to.equal(tensors.get('m_relu6')!.zeroPoints[0]);
    expect(tensors.get('m_add3')!.scales[0]).to.equal(tensors.get('m_cat')!.scales[0]);
    expect(report.operators.find((o) => o.code === 'RELU6')?.version).to.equal(2);
    const reference = Array.from({ length: 8 }, (_, i) => predictRows(mm, xs, i));
    const c = await compareWithTflite(bytes, xs, reference);
    expect(c.maxAbsError).to.be.below(0.05 * Math.max(1, c.maxAbsReference));
    // Without a reader to borrow from, a missing range is still an error.
    state.activationRanges.delete('m_d2');
    const err = await exportTflite(mm, { mode: 'int8' }, state).then(() => null, (e: unknown) => e as TfliteExportError);
    expect(err?.reason).to.equal('missing-activation-range');
    expect(err?.message).to.include(`'m_d2': output of 'm_d2' (Dense)`);
    tf.dispose(xs);
    state.dispose();
    mm.dispose();
  });
});
