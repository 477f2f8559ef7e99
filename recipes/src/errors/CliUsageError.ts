import { CollabError } from '@collabopt/core';

/**
 * Wrong command-line arguments (an unknown option, a missing file argument). The dispatcher prints
 * the message with a pointer to the command's `--help` and exits with 2. Code `'usage'`.
 */
export class CliUsageError extends CollabError {
  constructor(message: string) {
    super('usage', message);
  }
}
