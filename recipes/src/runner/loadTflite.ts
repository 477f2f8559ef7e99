/**
 * Runs .tflite files in a real TFLite interpreter (`tfjs-tflite-node`, TFLite 2.9), for the INT8
 * column of the results table and for the tests that check exported files.
 *
 * Inputs and outputs go through the interpreter's raw tensor buffers, not through tfjs tensors:
 * tfjs-tflite-node bundles its own tfjs-core, whose Tensor class is not ours, so its `predict()`
 * does not accept our tensors.
 *
 * `tfjs-tflite-node` is optional (a native addon built by node-gyp at install time, a
 * devDependency of the repository): it is required lazily, on first use, and its absence is
 * reported as {@link TfliteUnavailableError} so callers can say so instead of guessing a number.
 */
import { TfliteUnavailableError } from '../errors/TfliteUnavailableError';

/** A tensor the interpreter returned. */
export interface TfliteOutput {
  readonly name: string;
  readonly dtype: string;
  readonly shape: number[];
  readonly data: Float32Array | Int8Array | Int32Array;
}

/** Name, type and shape of one interpreter input or output. */
export interface TfliteTensorSpec {
  readonly name: string;
  readonly dtype: string;
  readonly shape: number[];
}

/** A loaded interpreter; `run` can be called many times. */
export interface TfliteInterpreter {
  readonly inputs: readonly TfliteTensorSpec[];
  readonly outputs: readonly TfliteTensorSpec[];
  /** Copies `inputs` (one flat array per model input) into the input buffers, invokes, copies the outputs out. */
  run(inputs: readonly ArrayLike<number>[]): TfliteOutput[];
}

interface RunnerTensor {
  readonly name: string;
  readonly dataType: string;
  readonly shape: string;
  data(): Float32Array | Int8Array | Int32Array;
}

interface Runner {
  getInputs(): RunnerTensor[];
  getOutputs(): RunnerTensor[];
  infer(): boolean;
}

interface TfliteNode {
  loadTFLiteModel(model: ArrayBuffer | string, options?: { numThreads?: number }): Promise<{ modelRunner: Runner }>;
}

let loaded: { module: TfliteNode } | { error: string } | null = null;

function tfliteNode(): TfliteNode {
  if (!loaded) {
    // Its bundled tfjs-core announces "Platform node has already been set" on load, which is
    // noise for our users: the two tfjs copies do not interact.
    const warn = console.warn;
    console.warn = () => {};
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = { module: require('tfjs-tflite-node') as TfliteNode };
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      loaded = {
        error: err.code === 'MODULE_NOT_FOUND' && /tfjs-tflite-node/.test(err.message)
          ? 'tfjs-tflite-node is not installed'
          : `tfjs-tflite-node failed to load (${err.message.split('\n')[0]})`,
      };
    } finally {
      console.warn = warn;
    }
  }
  if ('error' in loaded) throw new TfliteUnavailableError(loaded.error);
  return loaded.module;
}

/**
 * Whether the interpreter can be used: `null` when it can, otherwise why not (e.g.
 * `'tfjs-tflite-node is not installed'`). Loads the module on the first call.
 */
export function tfliteUnavailableReason(): string | null {
  try {
    tfliteNode();
    return null;
  } catch (e) {
    if (e instanceof TfliteUnavailableError) return e.reason;
    throw e;
  }
}

const shapeOf = (s: string) => s.split(',').map(Number);

/**
 * Loads `model` (bytes, or a file path) into a single-threaded TFLite interpreter.
 * @throws TfliteUnavailableError when tfjs-tflite-node cannot be loaded; the interpreter's error
 *   for a file it rejects.
 */
export async function loadTflite(model: Uint8Array | string): Promise<TfliteInterpreter> {
  const tflite = tfliteNode();
  const source = typeof model === 'string' ? model : (model.buffer.slice(model.byteOffset, model.byteOffset + model.byteLength) as ArrayBuffer);
  const runner = (await tflite.loadTFLiteModel(source, { numThreads: 1 })).modelRunner;
  const info = (t: RunnerTensor): TfliteTensorSpec => ({ name: t.name, dtype: t.dataType, shape: shapeOf(t.shape) });
  return {
    inputs: runner.getInputs().map(info),
    outputs: runner.getOutputs().map(info),
    run(inputs) {
      const ins = runner.getInputs();
      if (ins.length !== inputs.length) throw new Error(`the TFLite model has ${ins.length} input(s), got ${inputs.length}`);
      ins.forEach((t, i) => {
        const buf = t.data();
        if (buf.length !== inputs[i].length) throw new Error(`TFLite input '${t.name}' holds ${buf.length} values, got ${inputs[i].length}`);
        buf.set(inputs[i] as ArrayLike<number>);
      });
      runner.infer();
      return runner.getOutputs().map((t) => ({ name: t.name, dtype: t.dataType, shape: shapeOf(t.shape), data: t.data().slice() }));
    },
  };
}
