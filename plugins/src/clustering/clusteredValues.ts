/**
 * The clustered weights `centroids[assignment[i]]` (what TFMOT's `gather(centroids, indices)`
 * produces), as a new `Float32Array` or written into `out`.
 *
 * @param centroids Centroid values.
 * @param assignment Index into `centroids` for each weight (e.g. from `assignToNearest`).
 * @param out Optional output buffer of length `assignment.length`.
 * @throws RangeError naming the first index that is out of range.
 * @group Clustering algorithms
 */
export function clusteredValues(
  centroids: ArrayLike<number>,
  assignment: Int32Array,
  out?: Float32Array,
): Float32Array {
  const n = assignment.length;
  if (out !== undefined && out.length !== n) {
    throw new RangeError(`clusteredValues: out has length ${out.length}, expected ${n} (assignment.length)`);
  }
  const result = out ?? new Float32Array(n);
  const k = centroids.length;
  for (let i = 0; i < n; i++) {
    const a = assignment[i];
    if (!(a >= 0 && a < k)) {
      throw new RangeError(`assignment[${i}] = ${a} is not a valid index into ${k} centroids`);
    }
    result[i] = centroids[a];
  }
  return result;
}
