import type * as tf from '@tensorflow/tfjs';
import type { Plugin } from '../plugin/Plugin';
import { Session, type SessionOptions } from './Session';

/**
 * Starts a collaborative-optimization stage on the user's model: validates the composition,
 * orders the plugins and lets each tap the session's hooks. Nothing is trained or changed until
 * the session starts (first `fit` callback, `beforeStep()`, or `finish()`).
 *
 * ```ts
 * const session = collab(model, [prune({ finalSparsity: 0.5, endStep: 2000 })]);
 * await model.fit(xs, ys, { epochs: 4, callbacks: [session.callback()] });
 * await session.finish();
 * ```
 * @throws PluginOptionsError, CompositionError, TargetError, SessionError — before any training.
 * @group Session
 */
export function collab(model: tf.LayersModel, plugins: readonly Plugin[], options: SessionOptions = {}): Session {
  return new Session(model, plugins, options);
}
