import * as tf from '@tensorflow/tfjs';

/** The fields of a tfjs SeparableConv2D that its forward pass reads. */
interface SeparableFields {
  readonly depthwiseKernel: { read(): tf.Tensor4D };
  readonly pointwiseKernel: { read(): tf.Tensor4D };
  readonly bias: { read(): tf.Tensor1D } | null;
  readonly useBias: boolean;
  readonly strides: [number, number];
  readonly padding: 'valid' | 'same';
  readonly dilationRate: [number, number];
  readonly dataFormat: 'channelsFirst' | 'channelsLast';
  readonly activation: { apply(x: tf.Tensor): tf.Tensor } | null;
}

/**
 * A SeparableConv2D's forward pass (what its `call` computes: depthwise, 1×1 convolution, bias,
 * activation) with the value between the halves passed through `between` and the value before the
 * activation through `preActivation`. TFLite has no separable convolution: the int8 file runs the
 * halves as two operators and rounds the tensor between them to int8, so the fake-quant model has
 * to round there too (TFMOT's SeparableConvQuantize transform puts a fake-quant at the same place).
 *
 * The layer's own variables are read, so gradients reach them as through the layer's `call`.
 * @param layer a built tfjs SeparableConv2D.
 * @param x its input (rank 4, in the layer's data format).
 * @group Quantization numerics
 */
export function separableForward(
  layer: tf.layers.Layer,
  x: tf.Tensor,
  between: (depthwise: tf.Tensor) => tf.Tensor,
  preActivation: (value: tf.Tensor) => tf.Tensor = (v) => v,
): tf.Tensor {
  const l = layer as unknown as SeparableFields;
  return tf.tidy(() => {
    const nhwc = (l.dataFormat === 'channelsFirst' ? tf.transpose(x, [0, 2, 3, 1]) : x) as tf.Tensor4D;
    const depthwise = tf.depthwiseConv2d(nhwc, l.depthwiseKernel.read(), l.strides, l.padding, 'NHWC', l.dilationRate);
    let out: tf.Tensor = tf.conv2d(between(depthwise) as tf.Tensor4D, l.pointwiseKernel.read(), 1, 'valid', 'NHWC');
    if (l.useBias && l.bias) out = tf.add(out, l.bias.read());
    out = preActivation(out);
    if (l.activation) out = l.activation.apply(out);
    return l.dataFormat === 'channelsFirst' ? tf.transpose(out, [0, 3, 1, 2]) : out;
  });
}
