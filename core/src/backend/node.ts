/**
 * Node-only half of backend selection: finds `@tensorflow/tfjs-node` and
 * `@tensorflow/tfjs-backend-wasm` on disk for {@link selectBackend}.
 *
 * Why this exists: both packages are optional peers. A user who has tfjs-node must get it without
 * importing it themselves, and a user who cannot install it must not get an import error — so the
 * packages are looked up with a guarded `require.resolve`/`require`, which only Node has. Importing
 * this module installs the loaders (the package's Node entry does so), keeping the browser entry
 * free of `require`.
 */
import { setBackendLoader, type BackendLoader } from './backendLoaders';
import { installNativeKernels } from './native/installNativeKernels';

export { installNativeKernels } from './native/installNativeKernels';

/**
 * The part of Node's `require` the loaders use; injectable for tests.
 * @group Backends
 */
export interface RequireLike {
  /** Loads a module, as `require(id)`. */
  (id: string): unknown;
  /** Resolves a module's path without loading it, as `require.resolve(id)`; throws when it is not installed. */
  resolve(id: string): string;
}

const TFJS_NODE = '@tensorflow/tfjs-node';
const TFJS_WASM = '@tensorflow/tfjs-backend-wasm';

/**
 * A loader for the `tensorflow` backend: requires `@tensorflow/tfjs-node` when it is installed
 * (which registers the backend), and reports "not installed" or the load error otherwise.
 *
 * @param req - the `require` to resolve and load with (default: this module's).
 * @group Backends
 */
export function tfjsNodeBackendLoader(req: RequireLike = require): BackendLoader {
  return () => {
    const resolved = tryResolve(req, TFJS_NODE);
    if (resolved == null) return { available: false, reason: `${TFJS_NODE} is not installed` };
    try {
      req(TFJS_NODE);
    } catch (e) {
      return { available: false, reason: `${TFJS_NODE} is installed (${resolved}) but failed to load: ${firstLine(e)}` };
    }
    return { available: true, detail: resolved };
  };
}

/**
 * A loader for the `wasm` backend: requires `@tensorflow/tfjs-backend-wasm` (which registers the
 * backend; its Node bundle finds its `.wasm` binaries next to itself) and applies
 * `context.wasmPaths` when given.
 *
 * @param req - the `require` to resolve and load with (default: this module's).
 * @group Backends
 */
export function wasmBackendLoader(req: RequireLike = require): BackendLoader {
  return (context) => {
    const resolved = tryResolve(req, TFJS_WASM);
    if (resolved == null) return { available: false, reason: `${TFJS_WASM} is not installed` };
    let wasm: { setWasmPaths?: (prefix: string) => void };
    try {
      wasm = req(TFJS_WASM) as typeof wasm;
    } catch (e) {
      return { available: false, reason: `${TFJS_WASM} is installed (${resolved}) but failed to load: ${firstLine(e)}` };
    }
    if (context.wasmPaths != null) {
      try {
        wasm.setWasmPaths?.(context.wasmPaths);
      } catch (e) {
        return { available: false, reason: `setWasmPaths('${context.wasmPaths}') was refused: ${firstLine(e)}` };
      }
    }
    return { available: true, detail: resolved };
  };
}

/**
 * Installs the Node loaders for `tensorflow` (tfjs-node) and `wasm` into {@link selectBackend}.
 * Runs when this module is imported; call it again to reinstall after replacing a loader.
 * @group Backends
 */
export function installNodeBackendLoaders(): void {
  setBackendLoader('tensorflow', tfjsNodeBackendLoader());
  setBackendLoader('wasm', wasmBackendLoader());
}

function tryResolve(req: RequireLike, id: string): string | undefined {
  try {
    return req.resolve(id);
  } catch {
    return undefined;
  }
}

function firstLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n')[0]!;
}

installNodeBackendLoaders();
installNativeKernels();
