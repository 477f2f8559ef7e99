import type * as tf from '@tensorflow/tfjs';
import type { OptimizationState, Session } from '@collabopt/core';
import type { RunContext } from './RunContext';
import { topOneAccuracy } from './topOneAccuracy';

/**
 * Finishes the session and measures the stage's top-1 on the test split: while a session whose
 * plugins emulate inference still runs, `predict()` is the emulated (fake-int8) model, so it is
 * measured before `finish()`; a float stage is measured after, on the final projected weights.
 */
export async function finishAndMeasure(ctx: RunContext, session: Session, model: tf.LayersModel, emulates: boolean): Promise<{ state: OptimizationState; accuracy: number }> {
  ctx.options.progress?.activity?.('measuring');
  let accuracy = emulates ? topOneAccuracy(model, ctx.data.test) : NaN;
  const { state } = await session.finish();
  if (!emulates) accuracy = topOneAccuracy(model, ctx.data.test);
  return { state, accuracy };
}
