/**
 * Picks the tfjs backend collabopt trains on, makes it active and says which one it picked.
 *
 * Why this exists: `@tensorflow/tfjs-node` is the fast path but often cannot be installed (its
 * install downloads libtensorflow); without it tfjs silently falls back to the cpu backend, which
 * is ~100x slower on conv nets. The wasm backend with collabopt's training kernels is within a
 * small factor of native and installs offline. This function makes the fast choice by default,
 * lets a user force any choice from code or from the environment, and never leaves them guessing.
 */
import * as tf from '@tensorflow/tfjs';
import { BackendError } from './BackendError';
import { ADAM_UPDATE_KERNEL, MOMENTUM_UPDATE_KERNEL, RMSPROP_UPDATE_KERNEL } from './collaboptKernelNames';
import { getBackendLoader, type BackendLoaderContext, type TrainingBackendName } from './backendLoaders';
import { getNativeKernelProvider } from './nativeKernelProvider';
import { registerTrainingKernels, type RegisteredTrainingKernel } from './registerTrainingKernels';

/**
 * Environment variable that forces a backend when no `backend` option is given.
 * @group Backends
 */
export const BACKEND_ENV_VAR = 'COLLABOPT_BACKEND';

/**
 * Environment variable that turns the native kernels off (`0`) when no `nativeKernels` option is
 * given; `1` requires them, `auto` (or unset) uses them where they load.
 * @group Backends
 */
export const NATIVE_ENV_VAR = 'COLLABOPT_NATIVE';

/**
 * A backend choice: a backend, or `'auto'` (tfjs-node, else wasm, else cpu).
 * @group Backends
 */
export type BackendChoice = TrainingBackendName | 'auto';

/**
 * Options of {@link selectBackend}.
 * @group Backends
 */
export interface SelectBackendOptions {
  /**
   * Forces a backend (`'tfjs-node'` is accepted for `'tensorflow'`). Takes precedence over the
   * `COLLABOPT_BACKEND` environment variable. Default: the variable, else `'auto'`.
   */
  readonly backend?: BackendChoice | 'tfjs-node';
  /** Environment to read `COLLABOPT_BACKEND` from. Default: `process.env` where there is one. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Register collabopt's training kernels on wasm and cpu. Default `true`. */
  readonly trainingKernels?: boolean;
  /**
   * Native kernels on wasm: collabopt's Node addon (built from core/native at install with the
   * machine's C++ compiler) computes the heavy training kernels — convolutions and their
   * gradients, depthwise convolutions, transposed matrix products, batch-norm reductions, max
   * pooling — in place in the wasm heap, on all cores. `'auto'` uses them where the addon loaded
   * (reporting why not otherwise), `false` keeps the composed wasm kernels, `true` requires them
   * (a BackendError when the addon is unavailable and wasm is picked). Takes precedence over
   * `COLLABOPT_NATIVE` (`0`, `1`, `auto`). Default: the variable, else `'auto'`. Browsers never
   * have them. Thread count: `COLLABOPT_NATIVE_THREADS` (default: the CPU count).
   */
  readonly nativeKernels?: boolean | 'auto';
  /**
   * Folder (ending in `/`) or URL prefix holding the `.wasm` binaries, passed to `setWasmPaths`
   * by the Node wasm loader. Rarely needed: in Node the package finds its binaries next to
   * itself; set it when a bundler moved the package's code away from them.
   */
  readonly wasmPaths?: string;
  /** Receives the one-line report. Default `console.info`; `false` keeps quiet. */
  readonly log?: ((line: string) => void) | false;
}

/**
 * One backend that was tried.
 * @group Backends
 */
export interface BackendAttempt {
  /** The backend tried. */
  readonly backend: TrainingBackendName;
  /** Whether it was picked. */
  readonly ok: boolean;
  /** Why it was skipped, or details of the backend when it was picked. */
  readonly detail: string;
}

/**
 * The outcome of {@link selectBackend}.
 * @group Backends
 */
export interface BackendSelection {
  /** The backend that is now active. */
  readonly backend: TrainingBackendName;
  /** What forced the choice: the `backend` option, the environment variable, or nothing (auto). */
  readonly forcedBy: 'option' | 'env' | null;
  /** Training kernels in place for the picked backend (empty for tfjs-node). */
  readonly trainingKernels: readonly RegisteredTrainingKernel[];
  /**
   * Whether native kernels are in use, and details: `'2 threads, avx2'` when they are, else why
   * not. Undefined where they do not apply (not wasm, training kernels off, or no Node entry).
   */
  readonly nativeKernels?: {
    /** True when native kernels are registered for this selection. */
    readonly used: boolean;
    /** `'2 threads, avx2'` when used; otherwise why not (`'off (…)'`, `'unavailable: …'`). */
    readonly detail: string;
  };
  /** Gradients (by kernel name) collabopt replaced for the picked backend (wasm: `FusedBatchNorm`). */
  readonly trainingGradients: readonly string[];
  /** Every backend tried, in order, with the reason it was skipped or picked. */
  readonly attempts: readonly BackendAttempt[];
  /** The report line (also passed to `log`). */
  readonly summary: string;
  /**
   * Releases the training kernels this selection registered (the backend stays active). Kernels
   * are reference-counted, so other holders keep theirs. Harmless to call twice.
   */
  releaseTrainingKernels(): void;
}

const AUTO_ORDER: readonly TrainingBackendName[] = ['tensorflow', 'wasm', 'cpu'];

const PACKAGE_OF: Readonly<Record<TrainingBackendName, string>> = {
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs',
};

/**
 * Makes the fastest available backend active and reports it:
 *
 * 1. `tensorflow` (tfjs-node), when `@tensorflow/tfjs-node` is installed — detected by the Node
 *    entry's loader, or registered by the page/app itself;
 * 2. otherwise `wasm` with collabopt's training kernels — in Node, with the native kernels
 *    (collabopt's addon, multi-threaded, in place in the wasm heap) where the addon was built at
 *    install; the report says `wasm + native kernels (2 threads, avx2)`, or
 *    `wasm + training kernels` and `native kernels unavailable: <reason>`;
 * 3. otherwise `cpu` (with collabopt's faster `Conv2DBackpropFilter`).
 *
 * `options.nativeKernels`, else `COLLABOPT_NATIVE` (`0` off, `1` required, `auto`), controls the
 * native kernels; the composed wasm kernels remain wherever the native ones do not apply.
 *
 * `options.backend`, else the `COLLABOPT_BACKEND` environment variable (`auto`, `tensorflow` /
 * `tfjs-node`, `wasm`, `cpu`), forces a backend; a forced backend that cannot be used is an error,
 * never a silent fallback.
 *
 * @throws BackendError for an unknown choice, a forced backend that is unavailable, or native
 *   kernels required (`nativeKernels: true` / `COLLABOPT_NATIVE=1`) but unavailable.
 * @group Backends
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendSelection> {
  const { choice, forcedBy, source } = resolveChoice(options);
  const native = resolveNative(options);
  const candidates = choice === 'auto' ? AUTO_ORDER : [choice];
  const context: BackendLoaderContext = options.wasmPaths != null ? { wasmPaths: options.wasmPaths } : {};
  const attempts: BackendAttempt[] = [];
  const previous = tf.engine().backendName;

  for (const name of candidates) {
    const missing = await ensureRegistered(name, context);
    if (missing != null) {
      attempts.push({ backend: name, ok: false, detail: missing });
      continue;
    }
    const training = options.trainingKernels !== false && (name === 'wasm' || name === 'cpu');
    const nativeState = training && name === 'wasm' ? nativeStatus(native) : undefined;
    const registration = training
      ? registerTrainingKernels({ backends: [name], nativeKernels: nativeState?.used === true })
      : undefined;
    let ok = false;
    let failure = 'initialisation failed (tfjs printed the cause above)';
    try {
      ok = await tf.setBackend(name);
    } catch (e) {
      failure = `initialisation failed: ${(e as Error).message}`;
    }
    if (!ok) {
      registration?.unregister();
      attempts.push({ backend: name, ok: false, detail: failure });
      continue;
    }
    attempts.push({ backend: name, ok: true, detail: await describeBackend(name) });
    const selection: Omit<BackendSelection, 'summary' | 'releaseTrainingKernels'> = {
      backend: name,
      forcedBy,
      trainingKernels: registration?.kernels ?? [],
      ...(nativeState != null ? { nativeKernels: nativeStatusOf(nativeState, registration?.kernels ?? []) } : {}),
      trainingGradients: registration?.gradients ?? [],
      attempts,
    };
    const summary = summarize(selection, source);
    const log = options.log ?? ((line: string) => console.info(line));
    if (log !== false) log(summary);
    return { ...selection, summary, releaseTrainingKernels: () => registration?.unregister() };
  }

  // Leave the engine on a working backend: a failed setBackend leaves it pointing at the failure.
  if (previous != null && previous !== tf.engine().backendName) {
    try {
      await tf.setBackend(previous);
    } catch {
      // The previous backend is gone too; the error below is what matters.
    }
  }
  const why = attempts.map((a) => `${a.backend}: ${a.detail}`).join('; ');
  const missingPackage = attempts.some((a) => /is not (installed|registered|loaded)/.test(a.detail));
  const fix = missingPackage ? `Install ${PACKAGE_OF[choice as TrainingBackendName]}` : 'Fix the cause above';
  throw new BackendError(
    forcedBy != null
      ? `selectBackend: ${source} forces the ${choice} backend, but it cannot be used (${why}). ` +
          `${fix}, or choose another backend ('auto', 'tensorflow', 'wasm', 'cpu').`
      : `selectBackend: no backend could be initialised (${why}).`,
  );
}

/** The native-kernel setting: `'auto'`, on (required) or off, and where it came from. */
function resolveNative(options: SelectBackendOptions): { mode: boolean | 'auto'; source: string } {
  if (options.nativeKernels != null) {
    if (options.nativeKernels !== true && options.nativeKernels !== false && options.nativeKernels !== 'auto') {
      throw new BackendError(`selectBackend: option nativeKernels must be true, false or 'auto', got ${JSON.stringify(options.nativeKernels)}.`);
    }
    return { mode: options.nativeKernels, source: `option nativeKernels: ${String(options.nativeKernels)}` };
  }
  const raw = (options.env ?? processEnv())[NATIVE_ENV_VAR];
  if (raw == null || raw.trim() === '') return { mode: 'auto', source: 'auto' };
  const value = raw.trim().toLowerCase();
  const mode = value === '0' || value === 'false' || value === 'off' ? false
    : value === '1' || value === 'true' || value === 'on' ? true
      : value === 'auto' ? 'auto' : undefined;
  if (mode == null) {
    throw new BackendError(`selectBackend: ${NATIVE_ENV_VAR}='${raw}' is not a setting; use 0 (off), 1 (required) or auto.`);
  }
  return { mode, source: `${NATIVE_ENV_VAR}=${raw}` };
}

/** Whether the native kernels will be used on wasm, and why not; throws when required but absent. */
function nativeStatus(native: { mode: boolean | 'auto'; source: string }): { used: boolean; detail: string } | undefined {
  const provider = getNativeKernelProvider();
  if (native.mode === false) return { used: false, detail: `off (${native.source})` };
  if (provider == null) {
    if (native.mode === true) {
      throw new BackendError(`selectBackend: ${native.source} requires the native kernels, but this entry has none (they need Node: import '@collabopt/core' there).`);
    }
    return undefined;
  }
  if (!provider.available) {
    if (native.mode === true) {
      throw new BackendError(`selectBackend: ${native.source} requires the native kernels, but they are unavailable: ${provider.reason}. ` +
        `Install a C++ compiler and run 'npm rebuild @collabopt/core', or set ${NATIVE_ENV_VAR}=auto.`);
    }
    return { used: false, detail: `unavailable: ${provider.reason}` };
  }
  return { used: true, detail: provider.description };
}

/** The status as the registration left it: native only if at least one native kernel is in place. */
function nativeStatusOf(state: { used: boolean; detail: string }, kernels: readonly RegisteredTrainingKernel[]): { used: boolean; detail: string } {
  if (!state.used || kernels.some((k) => k.native)) return state;
  return { used: false, detail: 'not registered (composed kernels were already in place from another registration)' };
}

/** The choice, what forced it, and how to name that source in messages. */
function resolveChoice(options: SelectBackendOptions): { choice: BackendChoice; forcedBy: 'option' | 'env' | null; source: string } {
  if (options.backend != null) {
    const source = `option backend '${String(options.backend)}'`;
    const choice = parseChoice(options.backend, source);
    return { choice, forcedBy: choice === 'auto' ? null : 'option', source };
  }
  const env = options.env ?? processEnv();
  const raw = env[BACKEND_ENV_VAR];
  if (raw != null && raw.trim() !== '') {
    const source = `${BACKEND_ENV_VAR}='${raw}'`;
    const choice = parseChoice(raw, source);
    return { choice, forcedBy: choice === 'auto' ? null : 'env', source };
  }
  return { choice: 'auto', forcedBy: null, source: 'auto' };
}

function parseChoice(raw: string, where: string): BackendChoice {
  const value = raw.trim().toLowerCase();
  if (value === 'tfjs-node') return 'tensorflow';
  if (value === 'auto' || value === 'tensorflow' || value === 'wasm' || value === 'cpu') return value;
  throw new BackendError(
    `selectBackend: ${where} is not a backend collabopt can select; ` +
      `use one of 'auto', 'tensorflow' (or 'tfjs-node'), 'wasm', 'cpu'.`,
  );
}

function processEnv(): Readonly<Record<string, string | undefined>> {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env ?? {};
}

/** Makes `name` a registered tfjs backend; returns why it cannot be, or undefined when it is. */
async function ensureRegistered(name: TrainingBackendName, context: BackendLoaderContext): Promise<string | undefined> {
  if (tf.findBackendFactory(name) != null) return undefined;
  const loader = getBackendLoader(name);
  if (loader == null) {
    return name === 'tensorflow'
      ? `${PACKAGE_OF.tensorflow} is not loaded (in Node, collabopt's Node entry detects it; browsers cannot run it)`
      : `the ${name} backend is not registered: import '${PACKAGE_OF[name]}' before selecting it`;
  }
  let result;
  try {
    result = await loader(context);
  } catch (e) {
    return `loading ${PACKAGE_OF[name]} failed: ${(e as Error).message}`;
  }
  if (!result.available) return result.reason;
  if (tf.findBackendFactory(name) == null) {
    return `${PACKAGE_OF[name]} loaded, but no '${name}' backend is registered with this copy of ` +
      `@tensorflow/tfjs (two tfjs versions installed? align ${PACKAGE_OF[name]} with @tensorflow/tfjs)`;
  }
  return undefined;
}

async function describeBackend(name: TrainingBackendName): Promise<string> {
  if (name !== 'wasm') return 'initialised';
  const flag = async (f: string): Promise<string> => {
    try {
      return (await tf.env().getAsync(f)) ? 'on' : 'off';
    } catch {
      return 'unknown';
    }
  };
  return `SIMD ${await flag('WASM_HAS_SIMD_SUPPORT')}, threads ${await flag('WASM_HAS_MULTITHREAD_SUPPORT')}`;
}

function summarize(selection: Omit<BackendSelection, 'summary' | 'releaseTrainingKernels'>, source: string): string {
  const picked = selection.attempts[selection.attempts.length - 1]!;
  const n = selection.nativeKernels;
  const label = selection.backend === 'tensorflow' ? 'tensorflow (tfjs-node)'
    : n == null ? selection.backend
      : n.used ? `${selection.backend} + native kernels (${n.detail})` : `${selection.backend} + training kernels`;
  const nativeOff = n != null && !n.used ? `; native kernels ${n.detail}` : '';
  const how = selection.forcedBy != null ? `forced by ${source}` : 'auto';
  const skipped = selection.attempts
    .filter((a) => !a.ok)
    .map((a) => `${a.backend} skipped: ${a.detail}`);
  const kernels = selection.trainingKernels.length > 0
    ? `; training kernels: ${selection.trainingKernels.map((k) => `${k.kernelName} (${k.mode}${k.native ? ', native' : ''})`).join(', ')}`
    : '';
  const gradients = selection.trainingGradients.length > 0
    ? `; gradients: ${selection.trainingGradients.map((g) => `${g} (replaced)`).join(', ')}`
    : '';
  const detail = picked.detail !== 'initialised' ? ` (${picked.detail})` : '';
  return `collabopt: training backend ${label}${detail}, ${how}${nativeOff}${optimizerLine(selection)}${kernels}${gradients}` +
    (skipped.length > 0 ? ` — ${skipped.join('; ')}` : '');
}

/**
 * Whether optimizer updates are fused (one native kernel per variable): said whenever native
 * kernels are in use, as it changes how results are computed (equal to float rounding).
 */
function optimizerLine(selection: Omit<BackendSelection, 'summary' | 'releaseTrainingKernels'>): string {
  if (selection.nativeKernels?.used !== true) return '';
  const fused = [[RMSPROP_UPDATE_KERNEL, 'rmsprop'], [ADAM_UPDATE_KERNEL, 'adam'], [MOMENTUM_UPDATE_KERNEL, 'momentum']]
    .filter(([name]) => selection.trainingKernels.some((k) => k.kernelName === name && k.native))
    .map(([, label]) => label);
  return fused.length > 0
    ? `; optimizer updates fused (${fused.join(', ')}; COLLABOPT_FUSED_OPTIMIZERS=0 keeps tfjs's)`
    : '; optimizer updates unfused (tfjs\'s own)';
}
