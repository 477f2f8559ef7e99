// Where a plugin set's per-step time goes: the overhead bench's model, data and plugin sets, with
// every hook tap timed (performance.now() around it; wasm and the native kernels are synchronous,
// so a tap's time is its own) and the session's whole post-step projection timed.
//
//   npm run bench -- profile-overhead [set] [--steps 30]      set: prune | cluster | quantize | prune+cluster+quantize
import * as tf from '@tensorflow/tfjs';
import { collab, selectBackend, type Plugin } from '@collabopt/core';
import { cluster, prune, quantize } from '@collabopt/plugins';
import { loadMnist } from '../recipes/src/datasets/loadMnist';
import { mnistNodeCnn } from './models';

const SETS: Record<string, () => Plugin[]> = {
  prune: () => [prune({ finalSparsity: 0.5, endStep: 1000, frequency: 100 })],
  cluster: () => [cluster({ numClusters: 16 })],
  quantize: () => [quantize()],
  'prune+cluster+quantize': () => [prune({ finalSparsity: 0.5, endStep: 1000, frequency: 100 }), cluster({ numClusters: 16 }), quantize()],
};

interface Tap { name: string; fn: (...args: unknown[]) => unknown }
interface HookLike { taps: Tap[]; _resetCompilation?: () => void }
interface HookMapLike { _map: Map<string, HookLike> }

async function main(): Promise<void> {
  const setName = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 'prune+cluster+quantize';
  const stepsAt = process.argv.indexOf('--steps');
  const steps = stepsAt > 0 ? Number(process.argv[stepsAt + 1]) : 30;
  const make = SETS[setName];
  if (!make) throw new Error(`profile-overhead: unknown set '${setName}' (one of ${Object.keys(SETS).join(', ')})`);
  const selection = await selectBackend({ backend: 'wasm', log: false });
  const { xs, ys } = await loadMnist({ split: 'train', limit: steps * 32 });
  const model = mnistNodeCnn();
  const initial = model.getWeights().map((w) => w.clone());

  /** Per projected weight: the time of every projection call (the first one initialises). */
  const calls = new Map<string, number[]>();
  const fit = async (plugins: Plugin[] | null, timed: Map<string, number> | null): Promise<number> => {
    model.setWeights(initial);
    model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy' });
    const session = plugins ? collab(model, plugins, { onWarning: () => {} }) : null;
    if (session && timed) {
      const hooks = session.hooks as unknown as Record<string, HookMapLike>;
      for (const hookName of ['project', 'layerInput', 'preActivation', 'layerOutput']) {
        for (const [key, hook] of hooks[hookName]._map) {
          for (const tap of hook.taps) {
            const label = `${hookName}:${tap.name}${hookName === 'project' ? '' : `:${key}`}`;
            const inner = tap.fn;
            tap.fn = (...args: unknown[]) => {
              const t0 = performance.now();
              try {
                return inner(...args);
              } finally {
                timed.set(label, (timed.get(label) ?? 0) + performance.now() - t0);
                if (hookName === 'project') {
                  const id = `  ${label}:${(args[1] as { weight: { id: string } }).weight.id}`;
                  const list = calls.get(id) ?? [];
                  list.push(performance.now() - t0);
                  calls.set(id, list);
                }
              }
            };
          }
          hook._resetCompilation?.();
        }
      }
      const s = session as unknown as { absorbStep: () => void };
      const absorb = s.absorbStep.bind(session);
      s.absorbStep = () => {
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        absorb();
        const c = process.cpuUsage(c0);
        timed.set('(absorbStep total)', (timed.get('(absorbStep total)') ?? 0) + performance.now() - t0);
        // CPU time (every thread): on a loaded machine the wall time also holds other jobs' turns.
        timed.set('(absorbStep total, CPU time)', (timed.get('(absorbStep total, CPU time)') ?? 0) + (c.user + c.system) / 1000);
      };
    }
    const t0 = performance.now();
    await model.fit(xs, ys, { epochs: 1, batchSize: 32, shuffle: false, verbose: 0, callbacks: session ? [session.callback()] : [] });
    const ms = (performance.now() - t0) / steps;
    if (session) {
      await session.finish();
      session.dispose();
    }
    return ms;
  };

  await fit(null, null);
  await fit(make(), null);
  const plain = await fit(null, null);
  const timed = new Map<string, number>();
  const withSet = await fit(make(), timed);
  // Kernels per step, plain and with the set (tf.profile; untimed fits).
  const kernelsPerStep = async (plugins: Plugin[] | null) => (await tf.profile(() => fit(plugins, null))).kernels.length / steps;
  const plainKernels = await kernelsPerStep(null);
  const setKernels = await kernelsPerStep(make());
  console.log(`${setName}: ${withSet.toFixed(1)} ms/step, plain ${plain.toFixed(1)} ms/step (${(withSet / plain).toFixed(3)}x), ${selection.summary.split(';')[0]}`);
  console.log(`  kernels per step: ${setKernels.toFixed(0)} (plain ${plainKernels.toFixed(0)})`);
  for (const [label, ms] of [...timed].sort((a, b) => b[1] - a[1])) console.log(`  ${label.padEnd(48)} ${(ms / steps).toFixed(2).padStart(7)} ms/step`);
  console.log('per projection call (first, then the median of the rest):');
  for (const [id, list] of calls) {
    const rest = list.slice(1).sort((a, b) => a - b);
    console.log(`${id.padEnd(60)} first ${list[0]!.toFixed(1).padStart(7)} ms, then ${(rest[rest.length >> 1] ?? 0).toFixed(2).padStart(6)} ms (${list.length} calls)`);
  }
  selection.releaseTrainingKernels();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
