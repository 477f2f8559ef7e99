/**
 * Finds and loads collabopt's native addon (built by core/native/build.js at `npm install`).
 *
 * Why this exists: the addon is optional — a machine without a C++ compiler, or a failed build,
 * must still train (on the wasm kernels), and the user must be told why the fast path is off.
 * Every way of not having it (build skipped or failed, binary missing, binary that does not load
 * or lacks functions) becomes a one-line reason instead of an exception.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NATIVE_ADDON_FUNCTIONS, type NativeAddon } from './NativeAddon';

/** core/native, from src/backend/native and dist/backend/native alike. */
const NATIVE_DIR = path.resolve(__dirname, '..', '..', '..', 'native');

/** Where the binary is built. */
export const DEFAULT_NATIVE_ADDON_PATH = path.join(NATIVE_DIR, 'build', 'Release', 'collabopt_native.node');

/** What loading found. */
export type NativeAddonLoad =
  | { readonly available: true; readonly addon: NativeAddon; readonly path: string }
  | { readonly available: false; readonly reason: string };

/**
 * Loads the addon at `file` (default: the install build). A `build/UNAVAILABLE` file next to the
 * default binary carries the install-time reason it was not built.
 */
export function loadNativeAddon(file: string = DEFAULT_NATIVE_ADDON_PATH): NativeAddonLoad {
  const marker = path.join(path.dirname(path.dirname(file)), 'UNAVAILABLE');
  if (!fs.existsSync(file)) {
    if (fs.existsSync(marker)) return { available: false, reason: fs.readFileSync(marker, 'utf8').trim() };
    return { available: false, reason: `${file} is missing (run 'npm rebuild @collabopt/core' to build it)` };
  }
  let addon: Partial<NativeAddon>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    addon = require(file) as Partial<NativeAddon>;
  } catch (e) {
    return { available: false, reason: `${file} failed to load: ${firstLine(e)}` };
  }
  const missing = NATIVE_ADDON_FUNCTIONS.filter((name) => typeof addon[name] !== 'function');
  if (missing.length > 0) {
    return { available: false, reason: `${file} lacks ${missing.join(', ')} (a stale build: run 'npm rebuild @collabopt/core')` };
  }
  return { available: true, addon: addon as NativeAddon, path: file };
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}
