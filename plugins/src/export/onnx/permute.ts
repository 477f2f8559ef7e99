/**
 * `data` of row-major `shape` with its axes reordered: axis k of the result is axis `perm[k]` of
 * the input (numpy's `transpose(perm)`), for laying kernels out as ONNX operators read them.
 */
export function permute<T extends Float32Array | Float64Array | Int8Array | Int32Array>(data: T, shape: readonly number[], perm: readonly number[]): T {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]);
  const inStrides = new Array<number>(rank);
  for (let k = rank - 1, s = 1; k >= 0; s *= shape[k], k--) inStrides[k] = s;
  // Stride in the input of each output axis.
  const strides = perm.map((p) => inStrides[p]);
  const out = new (data.constructor as new (n: number) => T)(data.length);
  const index = new Array<number>(rank).fill(0);
  for (let j = 0; j < data.length; j++) {
    let i = 0;
    for (let k = 0; k < rank; k++) i += index[k] * strides[k];
    out[j] = data[i];
    for (let k = rank - 1; k >= 0; k--) {
      if (++index[k] < outShape[k]) break;
      index[k] = 0;
    }
  }
  return out;
}

/** The permutation that undoes `perm`. */
export function inversePermutation(perm: readonly number[]): number[] {
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, k) => (inverse[p] = k));
  return inverse;
}
