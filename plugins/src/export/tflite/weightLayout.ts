import { flatPosition } from '../flatPosition';
import type { WeightSource } from './TfliteGraph';

/**
 * Index maps between a kernel in the file and the model weight it came from (see
 * {@link WeightSource}): `outFirst` kernels are the Keras kernel `[S, out]` stored as `[out, S]`;
 * depthwise kernels keep the Keras element order.
 */

/** Moves the last axis of a row-major `[S, out]` array to the front: `[out, S]`. */
export function outFirst(values: Float32Array, outChannels: number): Float32Array {
  const s = values.length / outChannels;
  const result = new Float32Array(values.length);
  // Blocked transpose: a plain one writes with a stride of s floats, missing the cache on every
  // element of a 1024x1024 kernel.
  const B = 32;
  for (let i0 = 0; i0 < s; i0 += B) {
    const i1 = Math.min(i0 + B, s);
    for (let o0 = 0; o0 < outChannels; o0 += B) {
      const o1 = Math.min(o0 + B, outChannels);
      for (let i = i0; i < i1; i++) {
        const row = i * outChannels;
        for (let o = o0; o < o1; o++) result[o * s + i] = values[row + o];
      }
    }
  }
  return result;
}

/** A Conv2DTranspose kernel `[h, w, out, in]` as TRANSPOSE_CONV's `[out, h, w, in]`. */
export function transposeConvLayout(values: Float32Array, kerasShape: readonly number[]): Float32Array {
  const [h, w, out, inC] = kerasShape as [number, number, number, number];
  const result = new Float32Array(values.length);
  for (let p = 0; p < h * w; p++) {
    for (let o = 0; o < out; o++) {
      const from = (p * out + o) * inC;
      result.set(values.subarray(from, from + inC), (o * h * w + p) * inC);
    }
  }
  return result;
}

/** Keras (row-major) flat index of file element `j`. */
export function kerasIndexOf(source: WeightSource, j: number): number {
  if (source.layout === 'transposeConv') {
    const [h, w, out, inC] = source.kerasShape as [number, number, number, number];
    const o = Math.floor(j / (h * w * inC));
    const r = j % (h * w * inC);
    return (Math.floor(r / inC) * out + o) * inC + (r % inC);
  }
  if (source.layout !== 'outFirst') return j;
  const c = source.outChannels;
  const per = source.kerasShape.reduce((a, b) => a * b, 1) / c;
  return (j % per) * c + Math.floor(j / per);
}

/** ` at [i, j, ...]` for Keras flat index `k`, for error messages. */
export function kerasPosition(source: WeightSource, k: number): string {
  return flatPosition(source.kerasShape, k);
}

/**
 * Where the output channel sits in a kernel as the file stores it: `first` for `[out, ...]`
 * kernels (element j is in channel ⌊j / (n / channels)⌋), `last` for depthwise `[1, h, w, C]`
 * kernels (channel j % C). Quantization, BatchNorm folding and the read-back statistics all take
 * it from here.
 */
export function fileChannelPosition(source: WeightSource): 'first' | 'last' {
  return source.layout === 'outFirst' ? 'first' : 'last';
}

/** The quantized dimension of a kernel in the file (TFLite's `quantized_dimension`). */
export function fileChannelAxis(source: WeightSource, rank: number): number {
  return fileChannelPosition(source) === 'last' ? rank - 1 : 0;
}
