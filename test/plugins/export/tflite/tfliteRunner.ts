/**
 * Test helper: runs a .tflite file in a real TFLite interpreter (tfjs-tflite-node, TFLite 2.9).
 *
 * Inputs and outputs go through the interpreter's raw tensor buffers, not through tfjs tensors:
 * tfjs-tflite-node bundles its own tfjs-core, whose Tensor class is not ours.
 */

/** A tensor the interpreter returned. */
export interface TfliteOutput {
  readonly name: string;
  readonly dtype: string;
  readonly shape: number[];
  readonly data: Float32Array | Int8Array | Int32Array;
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

/** A loaded interpreter; `run` can be called many times. */
export interface TfliteInterpreter {
  readonly inputs: { name: string; dtype: string; shape: number[] }[];
  readonly outputs: { name: string; dtype: string; shape: number[] }[];
  run(inputs: readonly ArrayLike<number>[]): TfliteOutput[];
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tflite = require('tfjs-tflite-node') as { loadTFLiteModel(model: ArrayBuffer | string, options?: { numThreads?: number }): Promise<{ modelRunner: Runner }> };

const shapeOf = (s: string) => s.split(',').map(Number);

/** Loads `bytes` (or a file path) with `require('tfjs-tflite-node').loadTFLiteModel`. */
export async function loadTflite(model: Uint8Array | string): Promise<TfliteInterpreter> {
  const source = typeof model === 'string' ? model : (model.buffer.slice(model.byteOffset, model.byteOffset + model.byteLength) as ArrayBuffer);
  const loaded = await tflite.loadTFLiteModel(source, { numThreads: 1 });
  const runner = loaded.modelRunner;
  const info = (t: RunnerTensor) => ({ name: t.name, dtype: t.dataType, shape: shapeOf(t.shape) });
  return {
    inputs: runner.getInputs().map(info),
    outputs: runner.getOutputs().map(info),
    run(inputs) {
      const ins = runner.getInputs();
      if (ins.length !== inputs.length) throw new Error(`model has ${ins.length} inputs, got ${inputs.length}`);
      ins.forEach((t, i) => {
        const buf = t.data();
        if (buf.length !== inputs[i].length) throw new Error(`input ${t.name} holds ${buf.length} values, got ${inputs[i].length}`);
        buf.set(inputs[i] as ArrayLike<number>);
      });
      runner.infer();
      return runner.getOutputs().map((t) => ({ name: t.name, dtype: t.dataType, shape: shapeOf(t.shape), data: t.data().slice() }));
    },
  };
}
