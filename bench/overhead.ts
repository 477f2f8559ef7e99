// What the plugins cost per training step: plain model.fit() against fit() with each plugin set,
// same model (the tfjs-examples mnist-node CNN), same MNIST batches, same backend (wasm with
// collabopt's training kernels), in one process. Rounds alternate between the sets so machine
// load hits all of them alike; each cell is the median over rounds of the time per step.
//
//   npm run bench -- overhead [--rounds 7] [--steps 30] [--batch-size 32] [--without Kernel,Kernel]
//
// --without takes kernels out of the registry after selectBackend (e.g. CollaboptClusterProject),
// so a lever's before and after are measured on the same code.
//
// Targets (ratio to plain fit): prune ≤ 1.05, cluster ≤ 1.10, quantize ≤ 1.30,
// prune+cluster+quantize ≤ 1.35.
import * as tf from '@tensorflow/tfjs';
import { collab, selectBackend, type Plugin } from '@collabopt/core';
import { cluster, prune, quantize } from '@collabopt/plugins';
import { loadMnist } from '../recipes/src/datasets/loadMnist';
import { median } from './median';
import { mnistNodeCnn } from './models';

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`overhead: ${name} needs a positive integer, got '${process.argv[i + 1]}'`);
  return v;
}

const ROUNDS = argValue('--rounds', 7);
const STEPS = argValue('--steps', 30);
const BATCH = argValue('--batch-size', 32);

interface PluginSet {
  readonly name: string;
  readonly plugins: () => Plugin[];
}

// Pruning as TFMOT schedules it by default: masks recomputed every 100 steps (so once per round
// here, at step 100 of the session's running count), applied after every step.
const SETS: PluginSet[] = [
  { name: 'plain', plugins: () => [] },
  { name: 'prune', plugins: () => [prune({ finalSparsity: 0.5, endStep: 1000, frequency: 100 })] },
  { name: 'cluster', plugins: () => [cluster({ numClusters: 16 })] },
  { name: 'quantize', plugins: () => [quantize()] },
  {
    name: 'prune+cluster+quantize',
    plugins: () => [prune({ finalSparsity: 0.5, endStep: 1000, frequency: 100 }), cluster({ numClusters: 16 }), quantize()],
  },
];


async function main(): Promise<void> {
  const selection = await selectBackend({ backend: 'wasm', log: (line) => console.log(line) });
  const withoutAt = process.argv.indexOf('--without');
  const without = withoutAt > 0 ? (process.argv[withoutAt + 1] ?? '').split(',').filter((k) => k.length > 0) : [];
  const keptOut: tf.KernelConfig[] = [];
  for (const name of without) {
    const config = tf.getKernel(name, tf.getBackend());
    if (config == null) throw new Error(`overhead: --without ${name}: no such kernel on ${tf.getBackend()}`);
    keptOut.push(config);
    tf.unregisterKernel(name, tf.getBackend());
  }
  if (without.length > 0) console.log(`kernels kept out of the registry: ${without.join(', ')}`);
  const { xs, ys } = await loadMnist({ split: 'train', limit: STEPS * BATCH });
  const model = mnistNodeCnn();
  const initial = model.getWeights().map((w) => w.clone());
  const quiet = { onWarning: () => {} };

  // One fit per set: the model is reset to the same weights and optimizer, the session is
  // created (not timed) and the whole fit() with its callbacks is timed.
  // Wall time and process CPU time (user + system, every thread: on a loaded machine CPU time
  // tracks the work done, wall time also the other jobs' share of the cores).
  const run = async (set: PluginSet): Promise<{ wall: number; cpu: number }> => {
    model.setWeights(initial);
    model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy' });
    const session = set.plugins().length > 0 ? collab(model, set.plugins(), quiet) : null;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await model.fit(xs, ys, { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0, callbacks: session ? [session.callback()] : [] });
    const c = process.cpuUsage(c0);
    const wall = (performance.now() - t0) / STEPS;
    const cpu = (c.user + c.system) / 1000 / STEPS;
    if (session) {
      await session.finish();
      session.dispose();
    }
    return { wall, cpu };
  };

  for (const set of SETS) await run(set); // warm-up: kernels compiled, caches filled
  const times = new Map<string, number[]>(SETS.map((s) => [s.name, []]));
  const cpuTimes = new Map<string, number[]>(SETS.map((s) => [s.name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    // Rotate the order each round so no set always runs first or last.
    for (let i = 0; i < SETS.length; i++) {
      const set = SETS[(i + r) % SETS.length];
      const { wall, cpu } = await run(set);
      times.get(set.name)!.push(wall);
      cpuTimes.get(set.name)!.push(cpu);
    }
  }

  const plain = median(times.get('plain')!);
  const plainCpu = median(cpuTimes.get('plain')!);
  console.log(`\n${ROUNDS} rounds x ${STEPS} steps of ${BATCH} (mnist-node CNN, ${selection.backend})`);
  console.log('set                        ms/step    ratio   cpu ms/step  cpu ratio');
  for (const set of SETS) {
    const m = median(times.get(set.name)!);
    const c = median(cpuTimes.get(set.name)!);
    console.log(`${set.name.padEnd(26)} ${m.toFixed(1).padStart(7)}   ${(m / plain).toFixed(3)}x  ${c.toFixed(1).padStart(11)}  ${(c / plainCpu).toFixed(3)}x`);
  }
  console.log('');
  for (const set of SETS.slice(1)) {
    console.log(`overhead ${set.name}: ${(median(times.get(set.name)!) / plain).toFixed(3)}x wall, ${(median(cpuTimes.get(set.name)!) / plainCpu).toFixed(3)}x cpu`);
  }
  for (const config of keptOut) tf.registerKernel(config); // so the release finds what it registered
  selection.releaseTrainingKernels();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
