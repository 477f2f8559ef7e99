import * as tf from '@tensorflow/tfjs';
import type { RunContext } from './RunContext';
import type { EpochLog } from './StageRecord';

/** tfjs callback: progress events, epoch history, the `steps` limit, and Ctrl-C → stop after the current batch. */
export class ProgressCallback extends tf.Callback {
  private epoch = 0;
  private step = 0;

  constructor(
    private readonly ctx: RunContext,
    private readonly target: tf.LayersModel,
    private readonly epochs: number,
    private readonly stepsPerEpoch: number,
    private readonly steps: number,
    readonly history: EpochLog[],
  ) {
    super();
  }

  override async onEpochBegin(epoch: number): Promise<void> {
    this.epoch = epoch;
  }

  override async onBatchEnd(batch: number, logs?: tf.Logs): Promise<void> {
    const acc = logValue(logs, 'acc');
    this.ctx.options.progress?.batchEnd?.({ epoch: this.epoch, batch, stepsPerEpoch: this.stepsPerEpoch, loss: logValue(logs, 'loss') ?? NaN, ...(acc !== undefined ? { accuracy: acc } : {}) });
    // fit() checks this flag after every batch: the run stops within one batch of Ctrl-C, and a
    // stage given in `steps` stops exactly there.
    if (++this.step >= this.steps || this.ctx.options.signal?.aborted) this.target.stopTraining = true;
  }

  override async onEpochEnd(epoch: number, logs?: tf.Logs): Promise<void> {
    const acc = logValue(logs, 'acc');
    const log: EpochLog = { epoch, loss: logValue(logs, 'loss') ?? NaN, ...(acc !== undefined ? { accuracy: acc } : {}) };
    this.history.push(log);
    this.ctx.options.progress?.epochEnd?.({ epoch, epochs: this.epochs, loss: log.loss, ...(acc !== undefined ? { accuracy: acc } : {}) });
  }
}

/** A log entry as a number: tfjs hands callbacks scalar tensors (disposed right after) as well as numbers. */
function logValue(logs: tf.Logs | undefined, key: string): number | undefined {
  const v = logs?.[key] as number | tf.Scalar | undefined;
  if (v === undefined) return undefined;
  return typeof v === 'number' ? v : v.dataSync()[0];
}
