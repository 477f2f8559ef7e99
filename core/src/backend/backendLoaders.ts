/**
 * Platform hooks that make an optional backend package available to {@link selectBackend}.
 *
 * Why this exists: `selectBackend` lives in the browser-safe entry, which must not `require`
 * anything; loading `@tensorflow/tfjs-node` or `@tensorflow/tfjs-backend-wasm` from disk is Node
 * business. The Node entry installs loaders here when it is imported; in a browser, backends are
 * whatever the page imported itself, and no loader is needed.
 */

/**
 * Backend names collabopt chooses between, in tfjs's spelling (`'tensorflow'` is tfjs-node).
 * @group Backends
 */
export type TrainingBackendName = 'tensorflow' | 'wasm' | 'cpu';

/**
 * What a loader found.
 * @group Backends
 */
export type BackendLoadResult =
  | {
      /** The backend is registered with tfjs and can be made active. */
      readonly available: true;
      /** What was found (package, version), for the report line. */
      readonly detail?: string;
    }
  | {
      /** The backend cannot be used here. */
      readonly available: false;
      /** Why not, e.g. `'@tensorflow/tfjs-node is not installed'`. */
      readonly reason: string;
    };

/**
 * Options a loader may use.
 * @group Backends
 */
export interface BackendLoaderContext {
  /** Where the wasm binaries live, for `setWasmPaths` (wasm loader only). */
  readonly wasmPaths?: string;
}

/**
 * Makes the tfjs backend `name` registered (e.g. by requiring its package), or explains why it
 * cannot. Must not throw for "not installed": that is an ordinary `available: false`.
 * @group Backends
 */
export type BackendLoader = (context: BackendLoaderContext) => BackendLoadResult | Promise<BackendLoadResult>;

const loaders = new Map<TrainingBackendName, BackendLoader>();

/**
 * Installs (or, with `undefined`, removes) the loader for `name`, returning the previous one so a
 * caller can put it back.
 * @group Backends
 */
export function setBackendLoader(name: TrainingBackendName, loader: BackendLoader | undefined): BackendLoader | undefined {
  const previous = loaders.get(name);
  if (loader == null) loaders.delete(name);
  else loaders.set(name, loader);
  return previous;
}

/**
 * The loader installed for `name`, if any.
 * @group Backends
 */
export function getBackendLoader(name: TrainingBackendName): BackendLoader | undefined {
  return loaders.get(name);
}
