/**
 * `DepthwiseConv2dNativeBackpropInput` (the input gradient of `depthwiseConv2d`) for the wasm
 * backend.
 *
 * Why this exists: the wasm backend has no such kernel, so a DepthwiseConv2D or SeparableConv2D
 * layer anywhere but first in a model cannot be trained there.
 *
 * How: a transposed depthwise convolution — the backend's own `depthwiseConv2d` (XNNPACK on
 * wasm) of dy, zero-upsampled by the stride and framed by `filter − 1 − pad`, with the filter
 * rotated by 180° and used with multiplier 1 over the c·m channels of dy; the m products that
 * belong to one input channel are then summed.
 */
import * as tf from '@tensorflow/tfjs';
import { BackendError } from './BackendError';
import { checkConvKernelArgs } from './checkConvKernelArgs';
import { fitSpatialWindow } from './fitSpatialWindow';
import { runCompositeKernel } from './runCompositeKernel';
import { trainingKernelConfig, type TrainingKernelConfig, type TrainingKernelOptions } from './TrainingKernelConfig';

type Shape4 = [number, number, number, number];

/** Makes the `DepthwiseConv2dNativeBackpropInput` kernel config for `options.backendName`. */
export function depthwiseConv2dNativeBackpropInputKernel(options: TrainingKernelOptions): TrainingKernelConfig {
  const { backendName } = options;
  const kernelName = tf.DepthwiseConv2dNativeBackpropInput;
  const kernelFunc: tf.KernelFunc = (args) => {
    const { inputs, backend } = args;
    const dy = inputs['dy']!;
    const filter = inputs['filter']!;
    const attrs = args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs & { dataFormat?: string };
    checkConvKernelArgs(kernelName, backendName, {
      inputs: { dy, filter },
      dilations: attrs.dilations,
      dataFormat: attrs.dataFormat,
      dataFormats: ['NHWC'],
    });
    const info = tf.backend_util.computeConv2DInfo(
      attrs.inputShape, filter.shape as Shape4, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, true);
    const [fh, fw, c, m] = filter.shape as Shape4;
    const expectedDy = [info.batchSize, info.outHeight, info.outWidth, c * m];
    if (attrs.inputShape[3] !== c || dy.shape.some((d, i) => d !== expectedDy[i])) {
      throw new BackendError(
        `${kernelName}: dy [${dy.shape.join(',')}] and inputShape [${attrs.inputShape.join(',')}] do not ` +
          `fit filter [${filter.shape.join(',')}] with strides ${JSON.stringify(attrs.strides)} and pad ` +
          `${JSON.stringify(attrs.pad)} (expected input channels ${c} and dy [${expectedDy.join(',')}]).`,
      );
    }

    return runCompositeKernel(kernelName, backend as tf.KernelBackend, [dy, filter], (dyt, ft) => {
      const { batchSize: n, inHeight, inWidth, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
      let d = dyt;
      if (sh > 1 || sw > 1) {
        // Zero-upsample: every dy row/column is followed by stride − 1 zeros.
        d = tf.reshape(
          tf.pad(tf.reshape(d, [n, oh, 1, ow, 1, c * m]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]),
          [n, oh * sh, ow * sw, c * m],
        );
      }
      const framed = fitSpatialWindow(
        d, 1, fh - 1 - info.padInfo.top, inHeight + fh - 1, fw - 1 - info.padInfo.left, inWidth + fw - 1);
      const rotated = fh === 1 && fw === 1 ? ft : tf.reverse(ft, [0, 1]);
      const perProduct = tf.depthwiseConv2d(
        framed as tf.Tensor4D, tf.reshape(rotated, [fh, fw, c * m, 1]) as tf.Tensor4D, 1, 'valid');
      return m === 1 ? perProduct : tf.sum(tf.reshape(perProduct, [n, inHeight, inWidth, c, m]), 4);
    });
  };
  return trainingKernelConfig(kernelName, options, kernelFunc);
}
