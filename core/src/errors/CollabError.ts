/**
 * Base class of every error collabopt throws on purpose. `code` is stable and machine-readable
 * (the CLI maps it to exit codes); `message` says what was wrong, where, and how to fix it.
 * @group Errors
 */
export class CollabError extends Error {
  /** Stable identifier of the error kind, e.g. `'plugin-options'`. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}
