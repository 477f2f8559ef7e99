/**
 * `DepthwiseConv2dNativeBackpropFilter` (the filter gradient of `depthwiseConv2d`) for the wasm
 * backend.
 *
 * Why this exists: the wasm backend has no such kernel, so `model.fit()` of any DepthwiseConv2D or
 * SeparableConv2D model (MobileNet and friends) fails there.
 *
 * How: like the regular filter gradient, it is a convolution with dy as the filter — per channel.
 * Batch and channels are folded into one channel axis of a single image, x as
 * [1, H, W, n·c] and dy as a depthwise filter [oy, ox, n·c, m], dilated by the forward stride;
 * the backend's own `depthwiseConv2d` (XNNPACK on wasm) computes every (n, c) correlation at once,
 * and a sum over n finishes the job. No per-pixel loops, no strided slices (which copy the whole
 * input out of the wasm heap on every call).
 */
import * as tf from '@tensorflow/tfjs';
import { BackendError } from './BackendError';
import { checkConvKernelArgs } from './checkConvKernelArgs';
import { fitSpatialWindow } from './fitSpatialWindow';
import { runCompositeKernel } from './runCompositeKernel';
import { trainingKernelConfig, type TrainingKernelConfig, type TrainingKernelOptions } from './TrainingKernelConfig';

type Shape4 = [number, number, number, number];

/** Makes the `DepthwiseConv2dNativeBackpropFilter` kernel config for `options.backendName`. */
export function depthwiseConv2dNativeBackpropFilterKernel(options: TrainingKernelOptions): TrainingKernelConfig {
  const { backendName } = options;
  const kernelName = tf.DepthwiseConv2dNativeBackpropFilter;
  const kernelFunc: tf.KernelFunc = (args) => {
    const { inputs, backend } = args;
    const x = inputs['x']!;
    const dy = inputs['dy']!;
    const attrs = args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs & { dataFormat?: string };
    checkConvKernelArgs(kernelName, backendName, {
      inputs: { x, dy },
      dilations: attrs.dilations,
      dataFormat: attrs.dataFormat,
      dataFormats: ['NHWC'],
    });
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as Shape4, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, true);
    const [fh, fw, c, m] = attrs.filterShape;
    const expectedDy = [info.batchSize, info.outHeight, info.outWidth, c * m];
    if (x.shape[3] !== c || dy.shape.some((d, i) => d !== expectedDy[i])) {
      throw new BackendError(
        `${kernelName}: x [${x.shape.join(',')}] and dy [${dy.shape.join(',')}] do not fit filter ` +
          `[${attrs.filterShape.join(',')}] with strides ${JSON.stringify(attrs.strides)} and pad ` +
          `${JSON.stringify(attrs.pad)} (expected x channels ${c} and dy [${expectedDy.join(',')}]).`,
      );
    }

    return runCompositeKernel(kernelName, backend as tf.KernelBackend, [x, dy], (xt, dyt) => {
      const { batchSize: n, inHeight, inWidth, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
      // One image whose channels are (n, c) pairs.
      const xFolded = tf.reshape(tf.transpose(xt, [1, 2, 0, 3]), [1, inHeight, inWidth, n * c]);
      const window = fitSpatialWindow(
        xFolded, 1, info.padInfo.top, (oh - 1) * sh + fh, info.padInfo.left, (ow - 1) * sw + fw);
      // dy [n, oy, ox, c·m] as a depthwise filter [oy, ox, n·c, m].
      const dyFilter = tf.reshape(tf.transpose(dyt, [1, 2, 0, 3]), [oh, ow, n * c, m]) as tf.Tensor4D;
      const dilations: [number, number] = [oh > 1 ? sh : 1, ow > 1 ? sw : 1];
      const perImage = tf.depthwiseConv2d(window as tf.Tensor4D, dyFilter, 1, 'valid', 'NHWC', dilations);
      // [1, fh, fw, n·c·m] → sum over n.
      const grad = n === 1 ? perImage : tf.sum(tf.reshape(perImage, [fh, fw, n, c * m]), 2);
      return tf.reshape(grad, [fh, fw, c, m]);
    });
  };
  return trainingKernelConfig(kernelName, options, kernelFunc);
}
