import { CollabError } from './CollabError';

/**
 * The plugins of a session cannot be composed: a plugin would break an invariant that an earlier
 * plugin or stage established, a requirement is unmet, or the declarations contradict each other.
 * Thrown by `collab()` before anything is trained.
 * @group Errors
 */
export class CompositionError extends CollabError {
  constructor(message: string) {
    super('composition', message);
  }
}
