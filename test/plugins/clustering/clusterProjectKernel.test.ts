import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { CLUSTER_PROJECT_KERNEL } from '../../../core/src/backend/collaboptKernelNames';
import { clusterProjection, type CentroidFollow, type ClusterLayout } from '../../../plugins/src/clustering/clusterProjection';
import { seeded, skipWithoutNative, withTrainingKernelsOnWasm } from '../../core/backend/backendTestUtils';

// The native CollaboptClusterProject kernel must compute exactly what the cluster plugin's
// JavaScript projection computes — values, assignments and moved centroids, bit for bit — over
// several steps in a row (each step's state feeds the next), for per-tensor and per-channel
// layouts, few and many centroids (the counting and the bucket search paths), duplicated and ±0
// centroids, weights exactly on midpoints, empty clusters, a pinned zero and both update rules.

/** Same bits, element by element (−0 ≠ 0). */
function expectSameBits(got: ArrayLike<number>, want: ArrayLike<number>, label: string): void {
  expect(got.length, label).to.equal(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) expect.fail(`${label}: element ${i}: got ${got[i]}, want ${want[i]}`);
  }
}

/** Centroid rows with the awkward cases: duplicates, ±0, a wide gap (an empty cluster), uneven spacing. */
function centroidRows(layout: ClusterLayout, seed: number, withZero: boolean): Float32Array {
  const { channels, k } = layout;
  const r = seeded(channels * k, seed);
  const out = new Float32Array(channels * k);
  for (let c = 0; c < channels; c++) {
    for (let j = 0; j < k; j++) out[c * k + j] = Math.fround(r[c * k + j]! * (j % 3 === 0 ? 0.05 : 0.8));
    if (k >= 3) out[c * k + 1] = out[c * k + 2]!; // a duplicate: the smaller index wins
    if (k >= 5) out[c * k + 4] = 3; // far away: no members
    if (withZero) out[c * k + (k - 1)] = c % 2 === 0 ? 0 : -0;
  }
  return out;
}

/** Weights including exact midpoints between neighbouring centroids and exact centroid values. */
function weightsFor(n: number, layout: ClusterLayout, centroids: Float32Array, seed: number): Float32Array {
  const w = seeded(n, seed).map((v) => Math.fround(v * 0.9));
  const { channels, inner, k } = layout;
  for (let i = 0; i < n; i += 7) {
    const c = Math.floor(i / inner) % channels;
    const a = centroids[c * k + (i % k)]!;
    const b = centroids[c * k + ((i + 1) % k)]!;
    w[i] = i % 14 === 0 ? a : Math.fround((a + b) / 2);
  }
  return w;
}

interface Case { readonly label: string; readonly n: number; readonly layout: ClusterLayout; readonly pinZero: boolean; readonly follow: CentroidFollow }

const CASES: Case[] = [];
for (const k of [1, 2, 3, 16, 100]) {
  for (const follow of ['mean', 'sum'] as const) {
    CASES.push({ label: `per tensor, k ${k}, ${follow}`, n: 5000, layout: { channels: 1, inner: 1, k }, pinZero: false, follow });
  }
  CASES.push({ label: `per tensor, k ${k}, pinned zero`, n: 3001, layout: { channels: 1, inner: 1, k }, pinZero: k > 1, follow: 'mean' });
  CASES.push({ label: `per channel (last axis), k ${k}`, n: 7 * 5 * 110, layout: { channels: 5, inner: 1, k }, pinZero: k > 1, follow: 'mean' });
  CASES.push({ label: `per channel (inner 3), k ${k}`, n: 4 * 6 * 3 * 40, layout: { channels: 6, inner: 3, k }, pinZero: false, follow: 'sum' });
}
CASES.push({ label: 'per tensor, k 16, large enough for two threads', n: 70000, layout: { channels: 1, inner: 1, k: 16 }, pinZero: true, follow: 'mean' });
CASES.push({ label: 'per channel, k 8, large enough for two threads', n: 80000, layout: { channels: 16, inner: 1, k: 8 }, pinZero: false, follow: 'mean' });
// The centroid update sums two halves of whole blocks from 64K elements: an odd block count, and inner > 1.
CASES.push({ label: 'per channel, k 5, two halves of an odd number of blocks', n: 7 * 9999, layout: { channels: 7, inner: 1, k: 5 }, pinZero: true, follow: 'sum' });
CASES.push({ label: 'per channel (inner 3), k 4, two halves', n: 6 * 3 * 4001, layout: { channels: 6, inner: 3, k: 4 }, pinZero: false, follow: 'mean' });

/** Runs the kernel on tensors (the state kept as tensors, as the plugin does). */
function kernelSteps(steps: Float32Array[], centroids: Float32Array, c: Case): { values: Float32Array[]; assignment: Float32Array[]; centroids: Float32Array[] } {
  const out = { values: [] as Float32Array[], assignment: [] as Float32Array[], centroids: [] as Float32Array[] };
  let state: { centroids: tf.Tensor; assignment: tf.Tensor | null; lastInput: tf.Tensor | null } = { centroids: tf.tensor1d(centroids), assignment: null, lastInput: null };
  for (const [s, values] of steps.entries()) {
    const x = tf.tensor1d(values);
    const previous = s > 0 ? { prevX: state.lastInput!, prevAssignment: state.assignment! } : null;
    const attrs = { ...c.layout, update: previous ? c.follow : 'none', pinZero: c.pinZero } as unknown as tf.NamedAttrMap;
    const [y, assignment, moved] = tf.engine().runKernel(CLUSTER_PROJECT_KERNEL, { x, centroids: state.centroids, ...previous }, attrs) as tf.Tensor[];
    out.values.push(y!.dataSync() as Float32Array);
    out.assignment.push(assignment!.dataSync() as Float32Array);
    out.centroids.push(moved!.dataSync() as Float32Array);
    y!.dispose();
    state.centroids.dispose();
    state.assignment?.dispose();
    state.lastInput?.dispose();
    state = { centroids: moved!, assignment: assignment!, lastInput: x };
  }
  state.centroids.dispose();
  state.assignment?.dispose();
  state.lastInput?.dispose();
  return out;
}

describe('clustering: the native CollaboptClusterProject kernel equals the JavaScript projection', () => {
  if (skipWithoutNative(true)) return;
  withTrainingKernelsOnWasm({ nativeKernels: true });

  it('is registered on wasm', () => {
    expect(tf.getKernel(CLUSTER_PROJECT_KERNEL, 'wasm') != null).to.equal(true);
  });

  for (const [ci, c] of CASES.entries()) {
    it(`matches bit for bit over 4 steps: ${c.label}`, () => {
      const before = tf.memory().numTensors;
      const centroids = centroidRows(c.layout, 11 + ci, c.pinZero);
      // Each step moves the weights a little (some by exactly 0), as an optimizer would.
      const steps: Float32Array[] = [weightsFor(c.n, c.layout, centroids, 3 + ci)];
      for (let s = 1; s < 4; s++) {
        const noise = seeded(c.n, 100 * s + ci);
        steps.push(steps[s - 1]!.map((v, i) => (i % 5 === 0 ? v : Math.fround(v + noise[i]! * 0.02))));
      }
      if (c.pinZero) for (const w of steps) for (let i = 0; i < w.length; i += 4) w[i] = 0;
      const got = kernelSteps(steps, centroids, c);
      const state = { centroids: Float32Array.from(centroids), assignment: null as Int32Array | null, lastInput: null as Float32Array | null };
      for (const [s, values] of steps.entries()) {
        const want = clusterProjection(values, state, c.layout, s > 0 ? c.follow : 'none', c.pinZero);
        expectSameBits(got.values[s]!, want, `${c.label}, step ${s}: values`);
        expectSameBits(got.assignment[s]!, state.assignment!, `${c.label}, step ${s}: assignment`);
        expectSameBits(got.centroids[s]!, state.centroids, `${c.label}, step ${s}: centroids`);
      }
      expect(tf.memory().numTensors, 'tensors').to.equal(before);
    });
  }

  it('throws a RangeError (and leaks nothing) for a non-finite weight or centroid', () => {
    const before = tf.memory().numTensors;
    const attrs = { channels: 1, inner: 1, k: 2, update: 'none', pinZero: false } as unknown as tf.NamedAttrMap;
    tf.tidy(() => {
      for (const [w, c] of [[[0.1, NaN, 0.3], [0, 1]], [[0.1, 0.2], [Infinity, 1]]]) {
        expect(() => tf.engine().runKernel(CLUSTER_PROJECT_KERNEL, { x: tf.tensor1d(w!), centroids: tf.tensor1d(c!) }, attrs)).to.throw(RangeError, /CollaboptClusterProject: a (weight|centroid) is not finite/);
      }
    });
    expect(tf.memory().numTensors).to.equal(before);
  });

  it('rejects inputs that do not fit the layout, naming the kernel', () => {
    tf.tidy(() => {
      const attrs = { channels: 3, inner: 1, k: 2, update: 'none', pinZero: false } as unknown as tf.NamedAttrMap;
      expect(() => tf.engine().runKernel(CLUSTER_PROJECT_KERNEL, { x: tf.zeros([4]), centroids: tf.zeros([6]) }, attrs)).to.throw(/CollaboptClusterProject: needs/);
      const mean = { channels: 1, inner: 1, k: 2, update: 'mean', pinZero: false } as unknown as tf.NamedAttrMap;
      expect(() => tf.engine().runKernel(CLUSTER_PROJECT_KERNEL, { x: tf.zeros([4]), centroids: tf.zeros([2]) }, mean)).to.throw(/CollaboptClusterProject: needs/);
    });
  });
});
