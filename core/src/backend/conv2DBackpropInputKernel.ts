/**
 * `Conv2DBackpropInput` (the input gradient of `conv2d`) for the wasm backend.
 *
 * Why this exists: wasm ships this kernel, but as a plain C++ loop without XNNPACK: on the
 * mnist-node CNN it took 55% of a training step once the filter gradient was fixed (8x slower
 * than the forward convolution of the same size).
 *
 * How: the input gradient is a transposed convolution — the forward `conv2d` (XNNPACK) of dy,
 * zero-upsampled by the stride and framed by `filter − 1 − pad` rows/columns, with the filter
 * rotated by 180° and its channel axes swapped. The stock kernel stays in charge where it is
 * faster: problems so small that op overhead dominates, and few output positions per filter
 * weight (late 1x1 layers), where repacking the rotated filter costs more than the loop.
 */
import * as tf from '@tensorflow/tfjs';
import { BackendError } from './BackendError';
import { checkConvKernelArgs } from './checkConvKernelArgs';
import { fitSpatialWindow } from './fitSpatialWindow';
import { runCompositeKernel } from './runCompositeKernel';
import { trainingKernelConfig, type TrainingKernelConfig, type TrainingKernelOptions } from './TrainingKernelConfig';

type Shape4 = [number, number, number, number];

/**
 * The composed path needs at least this many multiply-adds, times the stride area (zero-upsampling
 * multiplies its work by that, not the stock loop's); below, launching its ops costs more than the
 * stock loop takes (measured crossover ~50k on a 2-core machine).
 */
export const WASM_COMPOSED_MIN_MULTIPLY_ADDS = 65536;

/**
 * The composed path also needs dy to have at least this many positions (batch · height · width):
 * each call repacks the rotated filter for XNNPACK, which only pays off when enough positions
 * share it (late 1x1 layers at batch 8 measured 2x faster on the stock loop).
 */
export const WASM_COMPOSED_MIN_DY_POSITIONS = 16;

/**
 * Makes the `Conv2DBackpropInput` kernel config for `options.backendName`; with `options.stock`
 * it delegates the problems where the stock kernel measured faster.
 */
export function conv2DBackpropInputKernel(options: TrainingKernelOptions): TrainingKernelConfig {
  const { backendName, stock } = options;
  const kernelFunc: tf.KernelFunc = (args) => {
    const { inputs, backend } = args;
    const dy = inputs['dy']!;
    const filter = inputs['filter']!;
    const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs & { dilations?: number | number[] };
    checkConvKernelArgs(tf.Conv2DBackpropInput, backendName, {
      inputs: { dy, filter },
      dilations: attrs.dilations,
      dataFormat: attrs.dataFormat,
      dataFormats: ['NHWC', 'NCHW'],
    });
    const channelsLast = attrs.dataFormat !== 'NCHW';
    const info = tf.backend_util.computeConv2DInfo(
      attrs.inputShape,
      filter.shape as Shape4,
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
        `${tf.Conv2DBackpropInput}: dy has shape [${dy.shape.join(',')}] but inputShape ` +
          `[${attrs.inputShape.join(',')}] with filter [${filter.shape.join(',')}], strides ` +
          `${JSON.stringify(attrs.strides)} and pad ${JSON.stringify(attrs.pad)} produce [${expectedDy.join(',')}].`,
      );
    }
    const [fh, fw, ci, co] = filter.shape as Shape4;
    const dyPositions = info.batchSize * info.outHeight * info.outWidth;
    const multiplyAdds = dyPositions * fh * fw * ci * co;
    if (
      stock != null &&
      (multiplyAdds < WASM_COMPOSED_MIN_MULTIPLY_ADDS * info.strideHeight * info.strideWidth ||
        dyPositions < WASM_COMPOSED_MIN_DY_POSITIONS)
    ) {
      return stock.kernelFunc(args);
    }

    return runCompositeKernel(tf.Conv2DBackpropInput, backend as tf.KernelBackend, [dy, filter], (dyt, ft) => {
      const { strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow, inHeight, inWidth } = info;
      let d = channelsLast ? dyt : tf.transpose(dyt, [0, 2, 3, 1]);
      if (sh > 1 || sw > 1) {
        // Zero-upsample: every dy row/column is followed by stride − 1 zeros.
        d = tf.reshape(
          tf.pad(tf.reshape(d, [info.batchSize, oh, 1, ow, 1, co]), [
            [0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0],
          ]),
          [info.batchSize, oh * sh, ow * sw, co],
        );
      }
      const framed = fitSpatialWindow(
        d, 1, fh - 1 - info.padInfo.top, inHeight + fh - 1, fw - 1 - info.padInfo.left, inWidth + fw - 1);
      const rotated = fh === 1 && fw === 1 ? ft : tf.reverse(ft, [0, 1]);
      const flipped = tf.transpose(rotated, [0, 1, 3, 2]) as tf.Tensor4D; // [fh, fw, co, ci]
      const dx = tf.conv2d(framed as tf.Tensor4D, flipped, 1, 'valid');
      return channelsLast ? dx : tf.transpose(dx, [0, 3, 1, 2]);
    });
  };
  return trainingKernelConfig(tf.Conv2DBackpropInput, options, kernelFunc);
}
