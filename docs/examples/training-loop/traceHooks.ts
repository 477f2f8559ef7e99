/**
 * Prints every hook of a session as it fires, for two epochs of two batches with validation data:
 * the trace shown in docs/guides/training-loop.md (the docs test compares it with the guide).
 *
 *   node --conditions=source -r ts-node/register docs/examples/training-loop/traceHooks.ts
 */
import * as tf from '@tensorflow/tfjs';
import { collab, Stage } from '@collabopt/core';
import { prune } from '@collabopt/plugins';

export async function main({ log = console.log }: { log?: (line: string) => void } = {}) {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [4], units: 8, activation: 'relu', name: 'hidden' }),
      tf.layers.dense({ units: 2, name: 'out' }),
    ],
  });
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
  const xs = tf.ones([8, 4]);
  const ys = tf.zeros([8, 2]);
  const trace: string[] = [];

  // #region trace
  // prune recomputes the mask of out/kernel at steps 1 and 2 and establishes `sparsity` at step 2.
  const session = collab(model, [prune({ finalSparsity: 0.5, endStep: 2, frequency: 1, include: ['out'] })]);
  const first = { name: 'trace', stage: Stage.SCHEDULE }; // *Begin: print before the plugins act
  const last = { name: 'trace', stage: Stage.REPORT }; // everything else: print after they acted
  const { hooks } = session;
  hooks.trainBegin.tap(first, () => void trace.push('trainBegin'));
  hooks.epochBegin.tap(first, ({ epoch }) => void trace.push(`  epochBegin      epoch ${epoch}`));
  hooks.batchBegin.tap(first, ({ step }) => void trace.push(`    batchBegin    step ${step}`));
  hooks.layerOutput.for('out').tap(last, (output, { training }) => {
    trace.push(`      layerOutput ${training ? 'training forward pass' : 'inference (validation)'}`);
    return output;
  });
  hooks.update.tap(last, ({ step }) => void trace.push(`      update      step ${step} (inside the optimizer step)`));
  hooks.project.for('out/kernel').tap(last, (value, { phase }) => {
    trace.push(`      project     out/kernel, phase '${phase}'`);
    return value;
  });
  hooks.batchEnd.tap(last, ({ step }) => void trace.push(`    batchEnd      step ${step}`));
  hooks.epochEnd.tap(last, ({ epoch, logs }) => void trace.push(`  epochEnd        epoch ${epoch}, sparsity ${logs['sparsity']}`));
  hooks.trainEnd.tap(last, () => void trace.push('trainEnd'));
  hooks.finish.tap(last, () => void trace.push('finish'));
  hooks.export.tap(last, () => void trace.push('export'));

  await model.fit(xs, ys, { epochs: 2, batchSize: 4, shuffle: false, validationData: [xs, ys], callbacks: [session.callback()] });
  trace.push('(session.finish())');
  await session.finish();
  // #endregion trace
  log(trace.join('\n'));
  tf.dispose([xs, ys]);
  return { trace, session };
}

if (require.main === module) main();
