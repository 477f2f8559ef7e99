/**
 * Argument checks shared by collabopt's training kernels.
 *
 * Why this exists: a kernel that silently ignores an attribute computes wrong gradients, and
 * wrong gradients train silently-wrong models. Anything the kernels do not implement (dilation,
 * a data format, a dtype) is rejected here with an error naming the kernel, the backend and the
 * value, before any work is done.
 */
import type * as tf from '@tensorflow/tfjs';
import { BackendError } from './BackendError';

/** What a kernel declares about the arguments it was called with. */
export interface ConvKernelArgs {
  /** Tensor inputs by name, as the kernel received them. */
  readonly inputs: Readonly<Record<string, tf.TensorInfo>>;
  /** `attrs.dilations`, when the kernel has that attribute (absent means 1). */
  readonly dilations?: number | readonly number[];
  /** `attrs.dataFormat`, when present. */
  readonly dataFormat?: unknown;
  /** Data formats the kernel implements. */
  readonly dataFormats: readonly string[];
}

/**
 * Throws a {@link BackendError} unless every input is a rank-4 float32 tensor, dilations are all
 * 1 and the data format is one the kernel implements.
 *
 * @param kernelName - tfjs kernel name, e.g. `'Conv2DBackpropFilter'`.
 * @param backendName - backend the kernel is registered for.
 * @param args - what was received.
 */
export function checkConvKernelArgs(kernelName: string, backendName: string, args: ConvKernelArgs): void {
  const where = `${kernelName}: collabopt's ${backendName} training kernel`;
  for (const [name, info] of Object.entries(args.inputs)) {
    if (info.dtype !== 'float32') {
      throw new BackendError(`${where} needs float32 inputs, but '${name}' is ${info.dtype}; cast it to float32 first.`);
    }
    if (info.shape.length !== 4) {
      throw new BackendError(
        `${where} needs rank-4 inputs, but '${name}' has shape [${info.shape.join(',')}].`,
      );
    }
  }
  if (args.dilations != null) {
    const d = typeof args.dilations === 'number' ? [args.dilations, args.dilations] : [...args.dilations];
    if (d.some((v) => v !== 1)) {
      throw new BackendError(
        `${where}: dilations [${d.join(',')}] are not supported (only 1 is); ` +
          `tfjs computes convolution gradients only for dilation 1 — train with dilations 1 ` +
          `or run this layer's gradient on another backend.`,
      );
    }
  }
  if (args.dataFormat != null && !args.dataFormats.includes(String(args.dataFormat))) {
    throw new BackendError(
      `${where}: dataFormat '${String(args.dataFormat)}' is not supported ` +
        `(supported: ${args.dataFormats.map((f) => `'${f}'`).join(', ')}); transpose the input to NHWC.`,
    );
  }
}
