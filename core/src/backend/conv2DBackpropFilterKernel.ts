/**
 * `Conv2DBackpropFilter` (the filter gradient of `conv2d`) for the wasm and cpu backends.
 *
 * Why this exists: the wasm backend has no such kernel, so `model.fit()` of any Conv2D model fails
 * there; the cpu backend has one, but its element-by-element `TensorBuffer.get` loop takes ~90% of
 * a CNN training step.
 *
 * How: the filter gradient is itself a convolution. With batch and channels swapped,
 *   dW[kh, kw, ci, co] = Σ_{n, oy, ox} x[n, kh + oy·s, kw + ox·s, ci] · dy[n, oy, ox, co]
 * is `conv2d` of x as [ci, H, W, n] (ci as batch, n as channels) with dy as the filter
 * [oy, ox, n, co], dilated by the forward stride. That runs on the backend's own forward
 * convolution (XNNPACK on wasm), which is 5–10x faster there than im2col built from strided
 * slices: wasm's Slice copies the whole input out of the heap per call and its matMul takes the
 * fast XNNPACK path only without transposes (measured on the mnist-node shapes). Padding, explicit
 * pads and rounding modes reduce to one window over the input ({@link fitSpatialWindow}).
 * 1x1 stride-1 filters (MobileNet's pointwise layers) take a single matMul instead.
 */
import * as tf from '@tensorflow/tfjs';
import { BackendError } from './BackendError';
import { checkConvKernelArgs } from './checkConvKernelArgs';
import { fitSpatialWindow } from './fitSpatialWindow';
import { runCompositeKernel } from './runCompositeKernel';
import { trainingKernelConfig, type TrainingKernelConfig, type TrainingKernelOptions } from './TrainingKernelConfig';

type Shape4 = [number, number, number, number];

/**
 * With the cpu backend's stock kernel at hand, the composed path is used from this many
 * multiply-adds on; below, the stock loop beats the handful of ops it launches (measured
 * crossover between 4 and 576: the stock loop costs ~100 ns per multiply-add, the composed path
 * ~15 µs before it does any work).
 */
export const CPU_COMPOSED_MIN_MULTIPLY_ADDS = 256;

/**
 * Makes the `Conv2DBackpropFilter` kernel config for `options.backendName`. With `options.stock`
 * (the cpu backend's own kernel) it delegates problems smaller than
 * {@link CPU_COMPOSED_MIN_MULTIPLY_ADDS} multiply-adds to it.
 */
export function conv2DBackpropFilterKernel(options: TrainingKernelOptions): TrainingKernelConfig {
  const { backendName, stock } = options;
  const kernelFunc: tf.KernelFunc = (args) => {
    const { inputs, backend } = args;
    const x = inputs['x']!;
    const dy = inputs['dy']!;
    const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs & { dilations?: number | number[] };
    checkConvKernelArgs(tf.Conv2DBackpropFilter, backendName, {
      inputs: { x, dy },
      dilations: attrs.dilations,
      dataFormat: attrs.dataFormat,
      dataFormats: ['NHWC', 'NCHW'],
    });
    const channelsLast = attrs.dataFormat !== 'NCHW';
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as Shape4,
      attrs.filterShape,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      channelsLast ? 'channelsLast' : 'channelsFirst',
    );
    const expectedDy = channelsLast
      ? [info.batchSize, info.outHeight, info.outWidth, info.outChannels]
      : [info.batchSize, info.outChannels, info.outHeight, info.outWidth];
    if (dy.shape.some((d, i) => d !== expectedDy[i])) {
      throw new BackendError(
        `${tf.Conv2DBackpropFilter}: dy has shape [${dy.shape.join(',')}] but x [${x.shape.join(',')}] ` +
          `with filter [${attrs.filterShape.join(',')}], strides ${JSON.stringify(attrs.strides)} and ` +
          `pad ${JSON.stringify(attrs.pad)} produce [${expectedDy.join(',')}].`,
      );
    }
    const [fh, fw, ci, co] = attrs.filterShape;
    const multiplyAdds = info.batchSize * info.outHeight * info.outWidth * fh * fw * ci * co;
    if (stock != null && multiplyAdds < CPU_COMPOSED_MIN_MULTIPLY_ADDS) return stock.kernelFunc(args);

    const { strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow, padInfo } = info;
    const pointwise =
      channelsLast && fh === 1 && fw === 1 && sh === 1 && sw === 1 &&
      padInfo.top === 0 && padInfo.bottom === 0 && padInfo.left === 0 && padInfo.right === 0;
    if (pointwise) {
      // A 1x1 stride-1 unpadded convolution is a matrix product: dW = x^T · dy over all positions.
      // One matMul beats the convolution formulation 2–10x here (MobileNet's pointwise layers).
      return runCompositeKernel(tf.Conv2DBackpropFilter, backend as tf.KernelBackend, [x, dy], (xt, dyt) => {
        const positions = info.batchSize * oh * ow;
        const x2 = tf.reshape(xt, [positions, ci]);
        const dy2 = tf.reshape(dyt, [positions, co]);
        // wasm multiplies on XNNPACK only without transpose flags; cpu transposes for free in its loop.
        const grad = backendName === 'wasm' ? tf.matMul(tf.transpose(x2), dy2) : tf.matMul(x2, dy2, true, false);
        return tf.reshape(grad, [1, 1, ci, co]);
      });
    }

    return runCompositeKernel(tf.Conv2DBackpropFilter, backend as tf.KernelBackend, [x, dy], (xt, dyt) => {
      // x as [ci, H, W, n]: input channels become the batch, the batch becomes channels.
      const xSwapped = tf.transpose(xt, channelsLast ? [3, 1, 2, 0] : [1, 2, 3, 0]);
      const window = fitSpatialWindow(
        xSwapped, 1, padInfo.top, (oh - 1) * sh + fh, padInfo.left, (ow - 1) * sw + fw);
      // dy as the filter [oy, ox, n, co].
      const dyFilter = tf.transpose(dyt, channelsLast ? [1, 2, 0, 3] : [2, 3, 0, 1]) as tf.Tensor4D;
      // Dilating a 1-wide filter axis changes nothing; 1 keeps the backend on its plain path.
      const dilations: [number, number] = [oh > 1 ? sh : 1, ow > 1 ? sw : 1];
      const grad = tf.conv2d(window as tf.Tensor4D, dyFilter, 1, 'valid', 'NHWC', dilations); // [ci, fh, fw, co]
      return tf.transpose(grad, [1, 2, 0, 3]);
    });
  };
  return trainingKernelConfig(tf.Conv2DBackpropFilter, options, kernelFunc);
}
