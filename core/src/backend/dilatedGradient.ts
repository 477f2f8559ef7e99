import * as tf from '@tensorflow/tfjs';
import { dilateFilter, dilationPair, undilateFilterGradient } from './dilateFilter';

/** What {@link dilatedGradient} needs of one convolution kernel. */
export interface DilatedGradientSpec {
  /** The forward kernel whose gradient this is (`Conv2D`, `DepthwiseConv2dNative`). */
  readonly kernelName: string;
  /** Its input-gradient kernel, run with the spread-out filter. */
  readonly backpropInput: string;
  /** Its filter-gradient kernel, run over the spread-out filter's shape. */
  readonly backpropFilter: string;
  /**
   * The attributes both gradient kernels share (strides, padding, …, undilated), from the forward
   * kernel's; throws for a layout the gradient does not handle.
   */
  readonly baseAttrs: (attrs: tf.NamedAttrMap, dilations: [number, number]) => Record<string, unknown>;
}

/**
 * The gradient config of a dilated convolution kernel: with the filter spread out by the dilation
 * (`dilateFilter`) the convolution is an undilated one (TF allows dilation only with stride
 * 1), so the input gradient is `backpropInput` with that filter and the filter gradient is
 * `backpropFilter` over the spread-out filter's shape, of which every dilation-th tap is kept.
 * Dilation 1 goes to `stock` (tfjs-core's own gradient) unchanged.
 */
export function dilatedGradient(spec: DilatedGradientSpec, stock: tf.GradConfig | undefined): tf.GradConfig {
  return {
    kernelName: spec.kernelName,
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs) => {
      const [dh, dw] = dilationPair((attrs as { dilations?: number | number[] }).dilations);
      if (stock != null && dh === 1 && dw === 1) return stock.gradFunc(dy, saved, attrs);
      const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
      const g = (Array.isArray(dy) ? dy[0]! : dy) as tf.Tensor4D;
      const base = spec.baseAttrs(attrs, [dh, dw]);
      return {
        x: () => {
          const spread = dilateFilter(filter, dh, dw);
          return tf.engine().runKernel(spec.backpropInput, { dy: g, filter: spread }, { ...base, inputShape: x.shape } as unknown as tf.NamedAttrMap) as tf.Tensor;
        },
        filter: () => {
          const [fh, fw, c, m] = filter.shape;
          const filterShape = [(fh - 1) * dh + 1, (fw - 1) * dw + 1, c, m];
          const grad = tf.engine().runKernel(spec.backpropFilter, { x, dy: g }, { ...base, filterShape } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
          return undilateFilterGradient(grad, dh, dw);
        },
      };
    },
  };
}
