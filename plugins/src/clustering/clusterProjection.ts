import { assignToNearest } from './assignToNearest';

/**
 * How a clustered weight's elements map to centroid rows: element `i` belongs to channel
 * `⌊i / inner⌋ mod channels` and uses that channel's `k` centroids (one channel, `inner` 1, per
 * tensor).
 * @group Clustering algorithms
 */
export interface ClusterLayout {
  readonly channels: number;
  readonly inner: number;
  readonly k: number;
}

/**
 * How centroids follow a training step in {@link clusterProjection}: by the mean or the sum of
 * their members' steps, or not at all (`'none'`: a projection that does not follow an optimizer
 * step, or the first one).
 * @group Clustering algorithms
 */
export type CentroidFollow = 'none' | 'mean' | 'sum';

/**
 * What {@link clusterProjection} keeps between calls: the centroids (row-major `[channels, k]`,
 * updated in place), each element's index within its channel's row from the last call, and the
 * values that call assigned.
 * @group Clustering algorithms
 */
export interface ClusterProjectionState {
  readonly centroids: Float32Array;
  assignment: Int32Array | null;
  lastInput: Float32Array | null;
}

/**
 * The cluster plugin's projection of one weight, in JavaScript (the native kernel
 * `CollaboptClusterProject` computes the same bits in the wasm heap):
 *
 * 1. with `follow` and a previous call, each centroid moves by the mean (or sum) of its members'
 *    steps — a member's step is how far its value moved since the last call, exactly the
 *    optimizer's step `W' − W`, which the latent took (straight-through). Member sums are float64,
 *    per slot in increasing element order within each of two fixed halves of the weight from 64K
 *    elements (whole blocks of `channels · inner`), the halves then added in order — the split
 *    the native kernel sums on two threads; a centroid with no members, or (with `pinZero`) a zero
 *    centroid, stays where it is;
 * 2. every value goes to its nearest centroid of its channel ({@link assignToNearest}: ties to the
 *    smaller index) and takes that centroid's value.
 *
 * `values` is kept by reference as the next call's `lastInput` (the caller must not modify it).
 *
 * @returns the clustered values (a new array).
 * @throws RangeError from {@link assignToNearest} for a non-finite centroid or value, channel by
 *   channel (indices within the channel).
 * @group Clustering algorithms
 */
export function clusterProjection(
  values: Float32Array,
  state: ClusterProjectionState,
  layout: ClusterLayout,
  follow: CentroidFollow,
  pinZero: boolean,
): Float32Array {
  const { channels, inner, k } = layout;
  const { centroids } = state;
  if (follow !== 'none' && state.assignment && state.lastInput) followStep(values, state.lastInput, state.assignment, centroids, layout, follow, pinZero);
  const out = new Float32Array(values.length);
  if (channels === 1) {
    const a = (state.assignment = assignToNearest(values, centroids, state.assignment ?? undefined));
    for (let i = 0; i < values.length; i++) out[i] = centroids[a[i]];
  } else {
    const perChannel = values.length / channels;
    const slice = new Float32Array(perChannel);
    const assignment = (state.assignment ??= new Int32Array(values.length));
    const stride = channels * inner;
    for (let c = 0; c < channels; c++) {
      let j = 0;
      for (let base = c * inner; base < values.length; base += stride) for (let r = 0; r < inner; r++) slice[j++] = values[base + r];
      const row = centroids.subarray(c * k, (c + 1) * k);
      const a = assignToNearest(slice, row);
      j = 0;
      for (let base = c * inner; base < values.length; base += stride) {
        for (let r = 0; r < inner; r++, j++) {
          assignment[base + r] = a[j];
          out[base + r] = row[a[j]];
        }
      }
    }
  }
  state.lastInput = values;
  return out;
}

/**
 * How many parts the centroid update sums separately before adding them in part order: 2 from
 * 64K elements (and 2 blocks of `channels · inner`), else 1. The native kernel sums its parts on
 * two threads; the split depends on the size alone, so both give the same bits.
 */
function followParts(size: number, blocks: number): number {
  return size >= 1 << 16 && blocks >= 2 ? 2 : 1;
}

function followStep(
  values: Float32Array,
  previous: Float32Array,
  assignment: Int32Array,
  centroids: Float32Array,
  { channels, inner, k }: ClusterLayout,
  follow: 'mean' | 'sum',
  pinZero: boolean,
): void {
  const slots = centroids.length;
  const stride = channels * inner;
  const blocks = Math.floor(values.length / stride);
  const parts = followParts(values.length, blocks);
  const then = new Float64Array(parts * slots);
  const now = new Float64Array(parts * slots);
  const count = new Int32Array(parts * slots);
  for (let p = 0; p < parts; p++) {
    const base = p * slots;
    const last = Math.floor((blocks * (p + 1)) / parts) * stride;
    for (let i = Math.floor((blocks * p) / parts) * stride; i < last; i++) {
      const slot = base + (channels === 1 ? assignment[i] : (Math.floor(i / inner) % channels) * k + assignment[i]);
      then[slot] += previous[i];
      now[slot] += values[i];
      count[slot]++;
    }
  }
  for (let s = 0; s < slots; s++) {
    let sumThen = then[s];
    let sumNow = now[s];
    let members = count[s];
    for (let p = 1; p < parts; p++) {
      sumThen += then[p * slots + s];
      sumNow += now[p * slots + s];
      members += count[p * slots + s];
    }
    if (members === 0 || (pinZero && centroids[s] === 0)) continue;
    const moved = sumNow - sumThen;
    centroids[s] += follow === 'mean' ? moved / members : moved;
  }
}
