import { CollabError } from './CollabError';

/**
 * Saved optimization state or a saved model is missing, corrupt, or does not fit the model.
 * @group Errors
 */
export class StateError extends CollabError {
  constructor(message: string) {
    super('state', message);
  }
}
