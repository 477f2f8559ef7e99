import type * as tf from '@tensorflow/tfjs';
import { OptimizationState } from '../state/OptimizationState';
import { decodeSavedState, readSessionFiles } from './sessionFiles';

/**
 * Loads a model saved by `session.save(dir)` together with its optimization state, to start the
 * next stage: `const { model, state } = await loadModel(dir); collab(model, plugins, { state })`.
 * A directory with a plain tfjs model (no state) loads with an empty state.
 * @group Session
 */
export async function loadModel(dir: string): Promise<{
  /** The loaded model (not compiled unless the files carry a training config). */
  model: tf.LayersModel;
  /** Its optimization state: what a next stage inherits with `collab(model, plugins, { state })`. */
  state: OptimizationState;
}> {
  const { model, saved } = await readSessionFiles(dir, true);
  const state = saved ? decodeSavedState(saved, model, dir) : new OptimizationState();
  if (saved && state.stages[state.stages.length - 1] !== saved.stage) state.stages.push(saved.stage);
  return { model, state };
}
