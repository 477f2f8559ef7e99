import type { StageRecord } from './StageRecord';

/** A stage about to run (or to be loaded from a finished stage directory). */
export interface StageBeginEvent {
  readonly recipe: string;
  /** 0 for the baseline. */
  readonly index: number;
  /** Stages in the recipe, counting the baseline. */
  readonly count: number;
  readonly name: string;
  /** Training epochs (0: calibration or nothing to train). */
  readonly epochs: number;
  /** Batches per epoch when training. */
  readonly stepsPerEpoch: number;
  /** Set when the stage is not run but taken from a complete stage directory (resume or shared prefix). */
  readonly reusedFrom: string | null;
}

/** One training batch done. */
export interface BatchEvent {
  readonly epoch: number;
  /** 0-based batch in the epoch. */
  readonly batch: number;
  readonly stepsPerEpoch: number;
  readonly loss: number;
  /** Running training accuracy when the model reports it. */
  readonly accuracy?: number;
}

/** One training epoch done. */
export interface EpochEvent {
  readonly epoch: number;
  readonly epochs: number;
  readonly loss: number;
  readonly accuracy?: number;
}

/**
 * What the runner reports while it works; every method is optional. The CLI draws progress bars
 * from these (`ProgressBars`); `--json` runs and tests pass none or their own.
 */
export interface ProgressListener {
  stageBegin?(event: StageBeginEvent): void;
  batchEnd?(event: BatchEvent): void;
  epochEnd?(event: EpochEvent): void;
  /** A slow step outside training: `'calibrating'`, `'measuring'`, `'exporting'`, `'saving'`. */
  activity?(what: string): void;
  stageEnd?(record: StageRecord, dir: string): void;
  /** Non-fatal news (plugin warnings, skipped measurements). */
  warn?(message: string): void;
}
