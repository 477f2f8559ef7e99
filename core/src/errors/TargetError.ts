import { CollabError } from './CollabError';

/**
 * A plugin's layer/weight selection is invalid: unknown names, unsupported layers, conflicting rules.
 * @group Errors
 */
export class TargetError extends CollabError {
  constructor(message: string) {
    super('target', message);
  }
}
