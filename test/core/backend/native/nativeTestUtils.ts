// Helpers shared by the native-kernel tests (not a test file itself).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { loadNativeAddon } from '../../../../core/src/backend/native/loadNativeAddon';
import type { NativeAddon } from '../../../../core/src/backend/native/NativeAddon';
import type { NativeKernelFactory } from '../../../../core/src/backend/nativeKernelProvider';
import { stockKernel } from '../../../../core/src/backend/registerTrainingKernels';
import { expectClose, restoreBackendAfterSuite, seeded } from '../backendTestUtils';

const load = loadNativeAddon();

/** The addon, or undefined where it did not build (the suites then skip, printing why). */
export const nativeAddon: NativeAddon | undefined = load.available ? load.addon : undefined;

/**
 * A suite that needs the addon: skipped with the reason printed where it is unavailable. Restores
 * the active backend after it.
 */
export function describeNative(title: string, body: (addon: NativeAddon) => void): void {
  describe(title, function () {
    if (!load.available) {
      it(`skipped: native kernels unavailable (${load.reason})`, function () {
        console.log(`      ${title}: skipped, native kernels unavailable: ${load.reason}`);
        this.skip();
      });
      return;
    }
    restoreBackendAfterSuite();
    body(load.addon);
  });
}

/** A test input: its shape and the seed of its values. */
export interface Input { readonly shape: readonly number[]; readonly seed: number; readonly values?: Float32Array }

function tensorsOf(inputs: Record<string, Input>): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [name, i] of Object.entries(inputs)) {
    out[name] = tf.tensor(i.values ?? seeded(tf.util.sizeFromShape(i.shape as number[]), i.seed), i.shape as number[]);
  }
  return out;
}

/** Runs the stock cpu kernel `kernelName` (the reference) and returns shape and values. */
export async function runCpuReference(kernelName: string, inputs: Record<string, Input>, attrs: object): Promise<{ shape: number[]; values: Float32Array }> {
  await tf.setBackend('cpu');
  const config = stockKernel(kernelName, 'cpu');
  if (config == null) throw new Error(`no stock cpu ${kernelName}`);
  const tensors = tensorsOf(inputs);
  try {
    const info = config.kernelFunc({ inputs: tensors, backend: tf.backend(), attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
    const t = tf.engine().makeTensorFromTensorInfo(info);
    const values = t.dataSync() as Float32Array;
    t.dispose();
    return { shape: info.shape.slice(), values };
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/**
 * Runs the native kernel made by `factory` on wasm, with a fallback that throws: a passing call
 * proves the native path computed the result.
 */
export async function runNative(factory: NativeKernelFactory, kernelName: string, inputs: Record<string, Input>, attrs: object): Promise<{ shape: number[]; values: Float32Array }> {
  await tf.setBackend('wasm');
  const fallback: tf.KernelConfig = {
    kernelName,
    backendName: 'wasm',
    kernelFunc: () => {
      throw new Error(`${kernelName}: the native kernel handed these inputs to its fallback`);
    },
  };
  const config = factory({ backendName: 'wasm', fallback });
  const tensors = tensorsOf(inputs);
  const before = tf.backend().numDataIds();
  try {
    const info = config.kernelFunc({ inputs: tensors, backend: tf.backend(), attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
    const t = tf.engine().makeTensorFromTensorInfo(info);
    const values = t.dataSync() as Float32Array;
    t.dispose();
    if (tf.backend().numDataIds() !== before) throw new Error(`${kernelName}: the native kernel left ${tf.backend().numDataIds() - before} data ids behind`);
    return { shape: info.shape.slice(), values };
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/** Asserts the native kernel equals the stock cpu kernel on these inputs (shape and values). */
export async function expectNativeMatchesCpu(
  factory: NativeKernelFactory, kernelName: string, inputs: Record<string, Input>, attrs: object, label: string, rtol = 2e-5,
): Promise<void> {
  const reference = await runCpuReference(kernelName, inputs, attrs);
  const actual = await runNative(factory, kernelName, inputs, attrs);
  if (actual.shape.join() !== reference.shape.join()) {
    throw new Error(`${label}: shape [${actual.shape.join(',')}], cpu gives [${reference.shape.join(',')}]`);
  }
  expectClose(actual.values, reference.values, label, rtol);
}
