import { CollabError } from '../errors/CollabError';

/**
 * A training backend could not be selected or a training kernel was asked for something it does
 * not compute: a forced backend that is missing, an unknown `COLLABOPT_BACKEND` value, dilations or
 * a data format the kernel does not support. The message names the kernel or backend, the
 * offending value and how to get going again.
 * @group Backends
 */
export class BackendError extends CollabError {
  constructor(message: string) {
    super('backend', message);
  }
}
