import * as tf from '@tensorflow/tfjs';
import { SessionError } from '../errors/SessionError';
import type { Logs } from '../hooks/SessionHooks';
import type { Session } from './Session';

/**
 * The bridge from tfjs's callback protocol to a session's hooks (`session.callback()`).
 *
 * tfjs awaits each callback method in list order, so the session's hooks run to completion before
 * the next batch. Methods are bound to the instance: tfjs wraps plain-object callbacks in a
 * `CustomCallback` that calls them detached, and a list mixing both forms must still work.
 * @group Session
 */
export class SessionCallback extends tf.Callback {
  /** @param session - the session whose hooks the callback drives. */
  constructor(readonly session: Session) {
    super();
    this.onTrainBegin = this.onTrainBegin.bind(this);
    this.onEpochBegin = this.onEpochBegin.bind(this);
    this.onBatchBegin = this.onBatchBegin.bind(this);
    this.onBatchEnd = this.onBatchEnd.bind(this);
    this.onEpochEnd = this.onEpochEnd.bind(this);
    this.onTrainEnd = this.onTrainEnd.bind(this);
  }

  /** Starts the session's run (first call: latents and the first projection), attaches to the model's optimizer, fires `trainBegin`. */
  override async onTrainBegin(logs?: Logs): Promise<void> {
    // tf.Sequential trains through its inner functional model, which is what tfjs hands callbacks.
    const own = this.session.model as unknown as { model?: unknown };
    if (this.model && (this.model as unknown) !== own && (this.model as unknown) !== own.model) {
      throw new SessionError(
        `session '${this.session.name}' belongs to model '${this.session.model.name}', but fit() was called on model '${this.model.name}'`,
      );
    }
    this.session.attachOptimizer(this.session.model.optimizer);
    await this.session.trainBegin((this.params ?? {}) as Record<string, unknown>, logs ?? {}, 'fit');
  }

  /** Fires `epochBegin`. */
  override async onEpochBegin(epoch: number, logs?: Logs): Promise<void> {
    await this.session.epochBegin(epoch, logs ?? {});
  }

  /** Advances the step and fires `batchBegin`. */
  override async onBatchBegin(batch: number, logs?: Logs): Promise<void> {
    await this.session.batchBegin(batch, logs ?? {});
  }

  /** Absorbs the step if the optimizer was not patched, then fires `batchEnd`. */
  override async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
    await this.session.batchEnd(batch, logs ?? {});
  }

  /** Fires `epochEnd` (invariant checks; plugins add logs, which tfjs puts in the History). */
  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    await this.session.epochEnd(epoch, logs ?? {});
  }

  /** Detaches from the optimizer and fires `trainEnd`. */
  override async onTrainEnd(logs?: Logs): Promise<void> {
    await this.session.trainEnd(logs ?? {});
  }
}
