/**
 * The filter a dilated convolution effectively applies, as a plain (undilated) filter.
 *
 * Why this exists: tfjs's convolution gradients, and collabopt's training kernels, compute only
 * dilation 1. A convolution with dilation `d` equals an undilated convolution with the filter
 * spread out: tap `(i, j)` moves to `(i·dₕ, j·d_w)` and the cells between are zero, size
 * `(f − 1)·d + 1`. SAME padding depends only on that effective size (as TF defines it), so the
 * gradients of the dilated convolution are the undilated kernels' gradients with this filter
 * ({@link conv2DDilatedGradient}, {@link depthwiseConv2dNativeDilatedGradient}).
 */
import * as tf from '@tensorflow/tfjs';

/** `[dh, dw]` from a tfjs `dilations` attribute (absent: 1). */
export function dilationPair(d: number | readonly number[] | undefined | null): [number, number] {
  if (d == null) return [1, 1];
  if (typeof d === 'number') return [d, d];
  return [d[0] ?? 1, d[1] ?? d[0] ?? 1];
}

/**
 * `filter` ([fh, fw, a, b], any trailing pair of channel axes) with `dh − 1` zero rows between
 * its rows and `dw − 1` zero columns between its columns: [(fh − 1)·dh + 1, (fw − 1)·dw + 1, a, b].
 */
export function dilateFilter(filter: tf.Tensor4D, dh: number, dw: number): tf.Tensor4D {
  const [fh, fw, a, b] = filter.shape;
  if (dh === 1 && dw === 1) return filter;
  return tf.tidy(() => {
    const spread = tf.pad(tf.reshape(filter, [fh, 1, fw, 1, a, b]), [[0, 0], [0, dh - 1], [0, 0], [0, dw - 1], [0, 0], [0, 0]]);
    const full = tf.reshape(spread, [fh * dh, fw * dw, a, b]);
    return tf.slice(full, [0, 0, 0, 0], [(fh - 1) * dh + 1, (fw - 1) * dw + 1, a, b]) as tf.Tensor4D;
  });
}

/** The taps of a gradient with respect to a dilated filter: every `dh`-th row and `dw`-th column of `grad`. */
export function undilateFilterGradient(grad: tf.Tensor4D, dh: number, dw: number): tf.Tensor4D {
  if (dh === 1 && dw === 1) return grad;
  const [h, w, a, b] = grad.shape;
  return tf.stridedSlice(grad, [0, 0, 0, 0], [h, w, a, b], [dh, dw, 1, 1]) as tf.Tensor4D;
}
