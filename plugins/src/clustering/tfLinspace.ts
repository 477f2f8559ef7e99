const f = Math.fround;

/**
 * `tf.linspace(start, stop, num)` in float32 exactly as TensorFlow 2 computes it
 * (`linspace_nd`: `delta = (stop - start) / (num - 1)`, interior points `start + delta * i`,
 * both end points copied verbatim), rounding after every float32 operation.
 *
 * Why emulate instead of a plain float64 linspace: TFMOT's centroid goldens (LINEAR and
 * DENSITY_BASED init) carry TF's float32 rounding, and matching them bit for bit is how the port
 * proves it reproduces TFMOT's initialisation.
 *
 * @param start First value; rounded to float32 first, as the TF op receives float32 tensors.
 * @param stop Last value (included); rounded to float32.
 * @param num Number of points (integer >= 0). `num === 1` gives `[start]`, as in TF.
 */
export function tfLinspace(start: number, stop: number, num: number): Float32Array {
  if (!Number.isInteger(num) || num < 0) {
    throw new RangeError(`tfLinspace: num must be an integer >= 0, got ${num}`);
  }
  const out = new Float32Array(num);
  if (num === 0) return out;
  const a = f(start);
  const b = f(stop);
  out[0] = a;
  if (num === 1) return out;
  const delta = f(f(b - a) / (num - 1));
  for (let i = 1; i < num - 1; i++) out[i] = f(a + f(delta * i));
  out[num - 1] = b;
  return out;
}
