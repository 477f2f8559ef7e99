/**
 * The k-th largest value of `values` (k = 1 is the maximum), found by introselect: quickselect
 * with Floyd-Rivest pivot sampling, O(n) on average, falling back to sorting the remaining range
 * when the partitions stop shrinking, so the worst case stays O(n log n). It runs on every pruning
 * step over kernels of millions of weights, where a full sort costs about ten times more.
 *
 * `values` is used as scratch space: it is reordered in place. It must not contain NaN (the
 * callers reject NaN weights first, because no magnitude order exists for them).
 *
 * @param values - the values to select from; reordered in place.
 * @param k - rank from the top, 1 <= k <= values.length.
 * @returns the value that would sit at position k-1 if `values` were sorted in descending order.
 * @throws RangeError if `k` is not an integer in [1, values.length].
 */
export function kthLargest(values: Float32Array, k: number): number {
  const n = values.length;
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new RangeError(`kthLargest: k must be an integer in [1, ${n}] (the number of values), received ${k}`);
  }
  const target = n - k; // position in ascending order
  selectInPlace(values, target, 0, n - 1);
  return values[target];
}

// Reorders values[left..right] so that values[target] holds the value a sort would put there.
function selectInPlace(values: Float32Array, target: number, left: number, right: number): void {
  let budget = 2 * Math.ceil(Math.log2(right - left + 2)) + 8;
  while (right > left) {
    if (right - left < 24) {
      insertionSort(values, left, right);
      return;
    }
    if (--budget < 0) {
      values.subarray(left, right + 1).sort();
      return;
    }
    let pivot: number;
    if (right - left > 600) {
      // Floyd-Rivest: first select the target within a window of about size^(2/3) around its
      // expected position, so the pivot lands near the answer and one partition discards most of
      // the range (measured faster than median-of-three on multi-million-weight kernels).
      const size = right - left + 1;
      const rank = target - left + 1;
      const z = Math.log(size);
      const sample = 0.5 * Math.exp((2 * z) / 3);
      const spread = 0.5 * Math.sqrt((z * sample * (size - sample)) / size) * (rank < size / 2 ? -1 : 1);
      const windowLeft = Math.max(left, Math.floor(target - (rank * sample) / size + spread));
      const windowRight = Math.min(right, Math.floor(target + ((size - rank) * sample) / size + spread));
      selectInPlace(values, target, windowLeft, windowRight);
      pivot = values[target];
    } else {
      pivot = medianOfThree(values[left], values[(left + right) >>> 1], values[right]);
    }
    // Hoare partition: both scans stop on values equal to the pivot, which keeps long runs of
    // equal magnitudes (e.g. many exact zeros) splitting evenly instead of degrading to O(n^2).
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const tmp = values[i];
        values[i] = values[j];
        values[j] = tmp;
        i++;
        j--;
      }
    }
    // Now [left, j] <= pivot <= [i, right], and everything strictly between j and i equals pivot.
    if (target <= j) right = j;
    else if (target >= i) left = i;
    else return;
  }
}

function medianOfThree(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : a < c ? c : a;
  return a < c ? a : b < c ? c : b;
}

function insertionSort(values: Float32Array, left: number, right: number): void {
  for (let i = left + 1; i <= right; i++) {
    const v = values[i];
    let j = i - 1;
    while (j >= left && values[j] > v) {
      values[j + 1] = values[j];
      j--;
    }
    values[j + 1] = v;
  }
}
