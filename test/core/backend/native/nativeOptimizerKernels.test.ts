// The fused optimizer updates: over several steps they equal tfjs's stock updates (on stock wasm,
// and on cpu to float rounding) for every option — centered RMSprop and momentum, Adam's bias
// correction and epsilon, Nesterov momentum — keep the optimizer's weights and config intact, run
// one kernel per variable, and leave the stock method in charge where their kernels are absent.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import '../../../../core/src/backend/node';
import { ADAM_UPDATE_KERNEL, MOMENTUM_UPDATE_KERNEL, RMSPROP_UPDATE_KERNEL } from '../../../../core/src/backend/collaboptKernelNames';
import { fusedOptimizerUpdatesInstalled } from '../../../../core/src/backend/native/fusedOptimizerUpdates';
import { registerTrainingKernels } from '../../../../core/src/backend/registerTrainingKernels';
import { expectClose, memorySnapshot, seeded } from '../backendTestUtils';
import { describeNative } from './nativeTestUtils';

const CASES: readonly [string, string, () => tf.Optimizer][] = [
  ['rmsprop', RMSPROP_UPDATE_KERNEL, () => tf.train.rmsprop(0.01)],
  ['rmsprop, momentum 0.9, decay 0.8, epsilon 1e-3', RMSPROP_UPDATE_KERNEL, () => tf.train.rmsprop(0.02, 0.8, 0.9, 1e-3)],
  ['centered rmsprop with momentum', RMSPROP_UPDATE_KERNEL, () => tf.train.rmsprop(0.01, 0.9, 0.5, 1e-6, true)],
  ['adam', ADAM_UPDATE_KERNEL, () => tf.train.adam(0.01)],
  ['adam, beta 0.8/0.95, epsilon 1e-4', ADAM_UPDATE_KERNEL, () => tf.train.adam(0.05, 0.8, 0.95, 1e-4)],
  ['momentum', MOMENTUM_UPDATE_KERNEL, () => tf.train.momentum(0.05, 0.9)],
  ['nesterov momentum', MOMENTUM_UPDATE_KERNEL, () => tf.train.momentum(0.05, 0.7, true)],
];
const SHAPES = [[3], [4, 5], [3, 3, 8, 16], [70000]];
const STEPS = 5;

/**
 * Close to `expected`, with NaN exactly where it has NaN (tfjs's centered RMSprop subtracts epsilon
 * under the square root, so tiny gradients give NaN in the stock update too).
 */
function expectSame(actual: Float32Array, expected: Float32Array, label: string, rtol: number): void {
  const nan = (a: Float32Array) => a.map((v) => (Number.isNaN(v) ? 1 : 0));
  expect(Array.from(nan(actual)).join(''), `${label}: NaN positions`).to.equal(Array.from(nan(expected)).join(''));
  expectClose(actual.filter((v) => !Number.isNaN(v)), expected.filter((v) => !Number.isNaN(v)), label, rtol);
}

interface Run { values: Float32Array[]; weights: { name: string; values: Float32Array }[]; config: tf.serialization.ConfigDict; kernels: string[] }

/** STEPS updates of variables of SHAPES with fixed, step-dependent gradients; the last one profiled. */
async function train(make: () => tf.Optimizer, backend: string): Promise<Run> {
  await tf.setBackend(backend);
  const optimizer = make();
  const vars = tf.tidy(() => SHAPES.map((s, i) => tf.variable(tf.tensor(seeded(tf.util.sizeFromShape(s), 10 + i), s), true, `w${i}_${Math.random()}`)));
  let kernels: string[] = [];
  for (let step = 0; step < STEPS; step++) {
    const grads: tf.NamedTensorMap = {};
    vars.forEach((v, i) => { grads[v.name] = tf.tensor(seeded(v.size, 100 * step + i).map((g) => g * (i + 1)), v.shape); });
    if (step === STEPS - 1) kernels = (await tf.profile(() => optimizer.applyGradients(grads))).kernels.map((k) => k.name);
    else optimizer.applyGradients(grads);
    tf.dispose(Object.values(grads));
  }
  const named = await optimizer.getWeights();
  const weights = named.map((w) => ({ name: w.name.replace(/w(\d+)_[\d.]+/, 'w$1'), values: Float32Array.from(w.tensor.dataSync()) }));
  tf.dispose(named.filter((w) => !(w.tensor instanceof tf.Variable)).map((w) => w.tensor));
  const result = { values: vars.map((v) => Float32Array.from(v.dataSync())), weights, config: optimizer.getConfig(), kernels };
  optimizer.dispose();
  tf.dispose(vars);
  return result;
}

describeNative('fused optimizer updates (native kernels)', () => {
  it('are installed with the addon', () => {
    expect(fusedOptimizerUpdatesInstalled()).to.equal(true);
  });

  for (const [label, kernelName, make] of CASES) {
    it(`${label}: equal to the stock update over ${STEPS} steps, weights and config intact`, async function () {
      this.timeout(60_000);
      const stockBefore = memorySnapshot();
      const stock = await train(make, 'wasm');
      // What the stock optimizer itself leaves behind (tfjs's momentum keeps a scalar past dispose).
      const stockLeft = memorySnapshot().tensors - stockBefore.tensors;
      const cpu = await train(make, 'cpu');
      const registration = registerTrainingKernels({ nativeKernels: true, backends: ['wasm'] });
      let fused: Run;
      try {
        expect(registration.kernels.find((k) => k.kernelName === kernelName)).to.deep.include({ mode: 'added', native: true });
        const before = memorySnapshot();
        fused = await train(make, 'wasm');
        expect(memorySnapshot().tensors - before.tensors, 'nothing left behind beyond what the stock optimizer leaves').to.equal(stockLeft);
      } finally {
        registration.unregister();
      }
      expect(stock.kernels).to.not.include(kernelName);
      expect(fused.kernels, 'one fused kernel per variable').to.include(kernelName);
      expect(fused.kernels.filter((k) => k === kernelName)).to.have.length(SHAPES.length);
      expect(fused.kernels.filter((k) => k !== kernelName && k !== 'Multiply'), 'no other per-variable op').to.deep.equal([]);
      fused.values.forEach((v, i) => {
        expectSame(v, stock.values[i]!, `${label}: variable ${i} vs stock wasm`, 1e-6);
        expectSame(v, cpu.values[i]!, `${label}: variable ${i} vs cpu`, 1e-5);
      });
      expect(fused.weights.map((w) => w.name)).to.deep.equal(stock.weights.map((w) => w.name));
      fused.weights.forEach((w, i) => expectSame(w.values, stock.weights[i]!.values, `${label}: optimizer weight ${w.name}`, 1e-6));
      expect(fused.config).to.deep.equal(stock.config);
    });
  }

  it('setWeights then steps continue exactly as the stock optimizer from the same state', async function () {
    this.timeout(60_000);
    const stepFrom = async (fusedOn: boolean): Promise<Float32Array> => {
      const registration = fusedOn ? registerTrainingKernels({ nativeKernels: true, backends: ['wasm'] }) : undefined;
      try {
        await tf.setBackend('wasm');
        const v = tf.tidy(() => tf.variable(tf.tensor(seeded(12, 1), [3, 4]), true, `sw_${fusedOn}_${Math.random()}`));
        const opt = tf.train.adam(0.1);
        const g = tf.tensor(seeded(12, 2), [3, 4]);
        opt.applyGradients([{ name: v.name, tensor: g }]);
        const saved = await opt.getWeights();
        const copy = saved.map((w) => ({ name: w.name, tensor: tf.clone(w.tensor) }));
        opt.applyGradients([{ name: v.name, tensor: g }]);
        await opt.setWeights(copy);
        opt.applyGradients([{ name: v.name, tensor: g }]);
        const out = Float32Array.from(v.dataSync());
        tf.dispose([v, g, ...copy.map((c) => c.tensor)]);
        opt.dispose();
        return out;
      } finally {
        registration?.unregister();
      }
    };
    expectClose(await stepFrom(true), await stepFrom(false), 'after setWeights', 1e-6);
  });
});
