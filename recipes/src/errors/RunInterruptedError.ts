import { CollabError } from '@collabopt/core';

/**
 * A run was stopped on request (Ctrl-C, or an aborted `AbortSignal`) between two atomic writes:
 * every stage listed in `finishedStages` is complete on disk and `--resume` continues from there;
 * the stage that was running was discarded. Code `'interrupted'` (the CLI exits with 130).
 */
export class RunInterruptedError extends CollabError {
  /** @param finishedStages stage directories complete on disk, in order. */
  constructor(readonly finishedStages: readonly string[]) {
    super(
      'interrupted',
      `interrupted; ${finishedStages.length} finished stage(s) are saved` +
        (finishedStages.length > 0 ? ` (last: ${finishedStages[finishedStages.length - 1]})` : '') +
        ' — run again with --resume to continue',
    );
  }
}
