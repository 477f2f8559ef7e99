import { CollabError } from './CollabError';

/**
 * A runtime check found an active invariant broken on the projected weights. Training stops:
 * a drifting invariant is a bug, never a warning.
 * @group Errors
 */
export class InvariantViolationError extends CollabError {
  /** Id of the weight that violates the invariant, e.g. `fc1/kernel`. */
  readonly weight: string;
  /** Name of the violated invariant, e.g. `sparsity`. */
  readonly invariant: string;
  /** Global step at which the check failed. */
  readonly step: number;

  constructor(weight: string, invariant: string, step: number, detail: string, establishedBy: string) {
    super(
      'invariant-violation',
      `invariant '${invariant}' violated on weight '${weight}' at step ${step}: ${detail} ` +
        `(established by ${establishedBy}). A plugin changed this weight without preserving '${invariant}'.`,
    );
    this.weight = weight;
    this.invariant = invariant;
    this.step = step;
  }
}
