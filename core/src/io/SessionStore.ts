import { SessionError } from '../errors/SessionError';

/**
 * Where `session.save(dir)` writes and `Session.load(dir)` reads. The Node entry of
 * `@collabopt/core` installs a file-system store (atomic: temp directory + rename); in a browser,
 * install your own (IndexedDB, memory) with {@link setSessionStore}.
 * @group Saving and loading
 */
export interface SessionStore {
  /** Writes every file into `dir`, all or nothing: on failure the previous contents of `dir` remain. */
  write(dir: string, files: ReadonlyMap<string, Uint8Array>): Promise<void>;
  /** Reads files from `dir`; a name in `optional` that is missing is left out, any other missing name is an error. */
  read(dir: string, names: readonly string[], optional?: readonly string[]): Promise<Map<string, Uint8Array>>;
}

let current: SessionStore | null = null;

/**
 * Installs the store used by `session.save(dir)` / `Session.load(dir)`.
 * @group Saving and loading
 */
export function setSessionStore(store: SessionStore | null): void {
  current = store;
}

/**
 * The installed store; throws a clear error when none is (e.g. in a browser without one).
 * @group Saving and loading
 */
export function getSessionStore(): SessionStore {
  if (!current) {
    throw new SessionError(
      'no SessionStore is installed: import @collabopt/core from Node (which installs a file-system store), ' +
        'or call setSessionStore() with a store for this environment',
    );
  }
  return current;
}
