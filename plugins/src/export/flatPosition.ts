/** ` at [i, j, ...]`: the row-major position of flat index `k` in `shape`, for error messages. */
export function flatPosition(shape: readonly number[], k: number): string {
  const idx: number[] = [];
  let rest = k;
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(rest % shape[d]);
    rest = Math.floor(rest / shape[d]);
  }
  return ` at [${idx.join(', ')}]`;
}
