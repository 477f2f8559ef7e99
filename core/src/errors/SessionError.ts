import { CollabError } from './CollabError';

/**
 * A session was used wrongly: after `finish()`, twice on one model, on an unbuilt model, ...
 * @group Errors
 */
export class SessionError extends CollabError {
  constructor(message: string) {
    super('session', message);
  }
}
