import * as tf from '@tensorflow/tfjs';
import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClustersInvariant, Int8GridInvariant, OptimizationState, SparsityInvariant } from '@collabopt/core';
import { OnnxExportError } from '../../../../plugins/src/errors/OnnxExportError';
import { exportOnnx } from '../../../../plugins/src/export/onnx/exportOnnx';
import { initializerValues, readOnnx } from '../../../../plugins/src/export/onnx/read/readOnnx';
import { writeOnnx } from '../../../../plugins/src/export/onnx/writeOnnx';
import { observeActivationRanges } from '../../../../plugins/src/export/tflite/observeActivationRanges';
import { quantizeWeightsSymmetric } from '../../../../plugins/src/quantization/quantizeWeightsSymmetric';
import type { WeightGranularity } from '../../../../plugins/src/quantization/weightChannelLayout';
import { measureInt8Fidelity } from '../../../helpers/int8Fidelity';
import { detValues } from '../../../helpers/models';
import { randomModel } from '../../../helpers/randomModels';
import { inputsFor, randomize } from '../tflite/fixtures';
import { measureOnnxInt8 } from './measureOnnxInt8';
import { predictAll, runOnnx } from './runOnnx';

/** conv (→ BN folded → ReLU), conv, depthwise, dense: one kernel of each layout. */
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

/**
 * Keras-order real values of a kernel read straight from the file (independently of the
 * exporter's own read-back): Conv `[out, in, h, w]` → `[h, w, in, out]`; depthwise `[C, 1, h, w]`
 * → `[h, w, C]`; Gemm `[out, in]` → `[in, out]`.
 */
function kernelFromFile(bytes: Uint8Array, name: string): { values: number[]; levels: number[]; scales: Float32Array | null } {
  const t = readOnnx(bytes).initializers.get(name)!;
  const real = initializerValues(t);
  const s = t.shape;
  const values: number[] = [];
  const levels: number[] = [];
  const push = (j: number) => {
    values.push(real[j]!);
    levels.push(Number(t.stored[j]));
  };
  if (s.length === 2) {
    for (let i = 0; i < s[1]!; i++) for (let o = 0; o < s[0]!; o++) push(o * s[1]! + i);
  } else if (s[1] === 1) {
    for (let h = 0; h < s[2]!; h++) for (let w = 0; w < s[3]!; w++) for (let c = 0; c < s[0]!; c++) push((c * s[2]! + h) * s[3]! + w);
  } else {
    for (let h = 0; h < s[2]!; h++) for (let w = 0; w < s[3]!; w++) for (let i = 0; i < s[1]!; i++) for (let o = 0; o < s[0]!; o++) push(((o * s[1]! + i) * s[2]! + h) * s[3]! + w);
  }
  return { values, levels, scales: t.quantization?.scales ?? null };
}

/** Puts a weight on k shared values with every third element pruned; returns its mask. */
function pruneAndCluster(m: tf.LayersModel, id: string, centroids: number[]): tf.Tensor {
  const w = m.weights.find((v) => v.originalName === id)!;
  const n = w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
  const u = detValues(n, 99);
  const values = Float32Array.from(u, (x, i) => (i % 3 === 0 ? 0 : centroids[Math.floor(((x + 1) / 2) * centroids.length) % centroids.length]!));
  const t = tf.tensor(values, w.shape as number[]);
  w.write(t);
  t.dispose();
  return tf.tensor(values.map((_, i) => (i % 3 === 0 ? 0 : 1)), w.shape as number[]);
}

function distinct(values: readonly number[], channels?: number): number {
  if (!channels) return new Set(values).size;
  return Math.max(...Array.from({ length: channels }, (_, c) => new Set(values.filter((_, i) => i % channels === c)).size));
}

describe('ONNX export, int8 (QDQ)', function () {
  this.timeout(120000);
  let m: tf.LayersModel;
  let calibration: tf.Tensor[];

  beforeEach(() => {
    m = model();
    calibration = inputsFor(m, 32, 5);
  });
  afterEach(() => {
    m.dispose();
    tf.dispose(calibration);
  });

  it('is QDQ at opset 13: int8 kernels per output channel for convolutions and per tensor for dense, int32 biases, int8 activations', async () => {
    const state = new OptimizationState();
    await observeActivationRanges(m, calibration, { state });
    const { bytes } = exportOnnx(m, { mode: 'int8' }, state);
    const file = readOnnx(bytes);
    expect(file.opset).to.equal(13);
    const init = (name: string) => file.initializers.get(name)!;
    expect(init('conv/kernel').dtype).to.equal('int8');
    expect(init('conv/kernel').quantization!.scales).to.have.length(4);
    expect(init('conv/kernel').quantization!.axis).to.equal(0);
    expect(init('conv2/kernel').quantization!.scales).to.have.length(3);
    expect(init('dw/depthwise_kernel').quantization!.scales).to.have.length(6);
    expect(init('dense/kernel').quantization!.scales).to.have.length(1);
    for (const bias of ['conv/bias', 'conv2/bias', 'dense/bias']) expect(init(bias).dtype, bias).to.equal('int32');
    // Symmetric weights, asymmetric activations.
    for (const k of ['conv/kernel', 'conv2/kernel', 'dw/depthwise_kernel', 'dense/kernel']) expect(Array.from(init(k).quantization!.zeroPoints).every((z) => z === 0), k).to.equal(true);
    const quantizes = file.nodes.filter((n) => n.opType === 'QuantizeLinear');
    expect(quantizes.length).to.be.at.least(5);
    expect(quantizes.some((q) => Number(file.initializers.get(q.inputs[2]!)!.stored[0]) !== 0)).to.equal(true);
    // The kernels are exactly the fake-quant's levels and scales (quantizeWeightsSymmetric).
    const expectSame = (id: string, granularity: WeightGranularity) => {
      const q = quantizeWeightsSymmetric(m.weights.find((v) => v.originalName === id)!.read(), { granularity });
      q.values.dispose();
      const read = kernelFromFile(bytes, id);
      expect(read.levels, id).to.deep.equal(Array.from(q.q));
      expect(Array.from(read.scales!), id).to.deep.equal(Array.from(q.scales));
    };
    expectSame('conv2/kernel', { kind: 'perAxis', axis: -1 });
    expectSame('dw/depthwise_kernel', { kind: 'depthwise' });
    expectSame('dense/kernel', { kind: 'perTensor' });
    // It loads and runs with graph optimizations on, on a batch other than the lowering's.
    const xs = inputsFor(m, 5, 9);
    const [out] = await runOnnx(bytes, xs);
    expect(out).to.have.length(5 * 4);
    expect([...out!].every(Number.isFinite)).to.equal(true);
    tf.dispose(xs);
    state.dispose();
  });

  it('sparsity and clusters read back from the file (per tensor, per channel, across a folded BatchNorm) equal the state\'s claims, in int8 and float32', async () => {
    const state = new OptimizationState();
    state.establish('conv/kernel', SparsityInvariant, { mask: pruneAndCluster(m, 'conv/kernel', [-0.4, -0.1, 0.25, 0.5]) }, 'test');
    state.establish('conv/kernel', ClustersInvariant, { k: 5, channels: null }, 'test');
    state.establish('conv2/kernel', SparsityInvariant, { mask: pruneAndCluster(m, 'conv2/kernel', [-0.3, 0.2, 0.45]) }, 'test');
    state.establish('conv2/kernel', ClustersInvariant, { k: 4, channels: 3 }, 'test');
    state.establish('dense/kernel', SparsityInvariant, { mask: pruneAndCluster(m, 'dense/kernel', [-0.2, -0.05, 0.1, 0.3, 0.35]) }, 'test');
    state.establish('dense/kernel', ClustersInvariant, { k: 6, channels: null }, 'test');
    await observeActivationRanges(m, calibration, { state });
    for (const mode of ['int8', 'float32'] as const) {
      const { bytes, report } = exportOnnx(m, { mode }, state);
      const byId = new Map(report.weights.map((w) => [w.weightId, w]));
      for (const id of ['conv/kernel', 'conv2/kernel', 'dense/kernel']) {
        expect(byId.get(id)!.verified, `${mode} ${id}`).to.include.members(['sparsity', 'clusters']);
        const mask = (state.get(id, 'sparsity')!.data as { mask: tf.Tensor }).mask.dataSync();
        const read = kernelFromFile(bytes, id);
        // Every pruned position is exactly 0 in the file; the report's sparsity is the file's.
        mask.forEach((v, i) => v === 0 && expect(read.values[i], `${mode} ${id} element ${i}`).to.equal(0));
        expect(byId.get(id)!.sparsity, `${mode} ${id}`).to.equal(read.values.filter((v) => v === 0).length / read.values.length);
        expect(byId.get(id)!.sparsity, `${mode} ${id}`).to.be.at.least(1 / 3 - 1e-9);
      }
      expect(byId.get('conv/kernel')!.foldedBatchNorm).to.equal('bn');
      expect(distinct(kernelFromFile(bytes, 'conv/kernel').values, 4), mode).to.be.at.most(5);
      expect(distinct(kernelFromFile(bytes, 'conv2/kernel').values, 3), mode).to.be.at.most(4);
      expect(distinct(kernelFromFile(bytes, 'dense/kernel').values), mode).to.be.at.most(6);
      expect(byId.get('dense/kernel')!.distinct, mode).to.equal(distinct(kernelFromFile(bytes, 'dense/kernel').values));
    }
    state.dispose();
  });

  it('weights on the state\'s int8-grid are written with exactly those levels and scales', async () => {
    const state = new OptimizationState();
    const grids: [string, WeightGranularity, number | null][] = [
      ['conv2/kernel', { kind: 'perAxis', axis: -1 }, 3],
      ['dw/depthwise_kernel', { kind: 'depthwise' }, 6],
      ['dense/kernel', { kind: 'perTensor' }, null],
    ];
    const levels = new Map<string, { q: Int8Array; scales: Float32Array }>();
    for (const [id, granularity, channels] of grids) {
      const w = m.weights.find((v) => v.originalName === id)!;
      const q = quantizeWeightsSymmetric(w.read(), { granularity });
      w.write(q.values);
      q.values.dispose();
      levels.set(id, { q: q.q, scales: q.scales });
      state.establish(id, Int8GridInvariant, { scales: q.scales, channels, bits: 8 }, 'test');
    }
    await observeActivationRanges(m, calibration, { state });
    const { bytes, report } = exportOnnx(m, { mode: 'int8' }, state);
    for (const [id] of grids) {
      expect(report.weights.find((w) => w.weightId === id)!.verified, id).to.include('int8-grid');
      const read = kernelFromFile(bytes, id);
      expect(read.levels, id).to.deep.equal(Array.from(levels.get(id)!.q));
      expect(Array.from(read.scales!), id).to.deep.equal(Array.from(levels.get(id)!.scales));
    }
    state.dispose();
  });

  it('a claim the weights do not satisfy fails with OnnxExportError, and nothing is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'onnx-inv-'));
    try {
      const path = join(dir, 'model.onnx');
      const state = new OptimizationState();
      const w = m.weights.find((v) => v.originalName === 'conv2/kernel')!;
      const n = w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
      state.establish('conv2/kernel', SparsityInvariant, { mask: tf.tensor(Float32Array.from({ length: n }, (_, i) => i % 2), w.shape as number[]) }, 'test');
      for (const mode of ['float32', 'int8'] as const) {
        if (mode === 'int8') await observeActivationRanges(m, calibration, { state });
        let error: unknown;
        try {
          await writeOnnx(m, path, { mode }, state);
        } catch (e) {
          error = e;
        }
        expect(error, mode).to.be.instanceOf(OnnxExportError);
        expect((error as OnnxExportError).reason).to.equal('invariant');
        expect((error as Error).message).to.match(/initializer 'conv2\/kernel'.*weight 'conv2\/kernel'.*'sparsity'/);
        expect(existsSync(path), mode).to.equal(false);
      }
      state.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('agrees with the fake-quant model within one output step on a seeded corpus (PTQ and QAT; softmax heads within two)', async function () {
    this.timeout(600000);
    const results: string[] = [];
    for (let seed = 0; seed < 8; seed++) {
      for (const scenario of ['ptq', 'qat'] as const) {
        const r = randomModel(seed);
        const head = r.describe.endsWith('(softmax)') ? 'softmax' : 'linear';
        const { maxSteps } = await measureInt8Fidelity(r.model, scenario, { measure: measureOnnxInt8 });
        r.model.dispose();
        results.push(`${seed} ${scenario} ${r.describe}: ${maxSteps}`);
        expect(maxSteps, results.join('\n')).to.be.at.most(head === 'linear' ? 1 : 2);
      }
    }
  });

  it('float32 inputs of any batch size, outputs in the tfjs layout', async () => {
    const xs = inputsFor(m, 3, 2);
    const { bytes } = exportOnnx(m, { mode: 'float32' });
    const file = readOnnx(bytes);
    expect(file.inputs[0]!.shape).to.deep.equal(['batch', 6, 6, 2]);
    expect(file.outputs[0]!.shape).to.deep.equal(['batch', 4]);
    const [out] = await runOnnx(bytes, xs);
    const [expected] = predictAll(m, xs);
    out!.forEach((v, i) => expect(v).to.be.closeTo(expected![i]!, 1e-5));
    tf.dispose(xs);
  });
});
