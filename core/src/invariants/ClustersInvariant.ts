import { describeValue } from '../errors/describeValue';
import { StateError } from '../errors/StateError';
import { maxDistinctPerGroup } from './channelGroups';
import type { Invariant, JsonValue } from './Invariant';
import { registerInvariant } from './InvariantRegistry';

/**
 * Data of the `clusters` invariant.
 * @group Invariants
 */
export interface ClustersData {
  /** At most this many distinct values (per channel when `channels` is set). */
  readonly k: number;
  /** `null`: per tensor; else the number of output channels (see channelGroups). */
  readonly channels: number | null;
}

/**
 * Largest per-tensor distinct-value count that `derive` still treats as clustered (TFMOT derives centroids from unique values).
 * @group Invariants
 */
export const MAX_DERIVED_CLUSTERS = 256;

/**
 * `clusters`: the weight holds at most k distinct values, per tensor or per output channel.
 * Established by `cluster`; preserved by symmetric quantization (k values map to ≤ k values).
 * @group Invariants
 */
export const ClustersInvariant: Invariant<ClustersData> = registerInvariant<ClustersData>({
  name: 'clusters',
  description: 'at most k distinct values per tensor (or per output channel)',
  hint: 'add cluster() — it re-derives the inherited clusters and keeps them (CQAT = cluster + quantize)',
  preservedBy: ['value-function'],
  check(value, data) {
    const values = value.dataSync();
    // Bounded at k (nothing allocated per value); the exact count only for the error message.
    if (maxDistinctPerGroup(values, data.channels, data.k).count <= data.k) return null;
    const { count, group } = maxDistinctPerGroup(values, data.channels);
    const where = data.channels === null ? 'in the tensor' : `in output channel ${group}`;
    return `${count} distinct values ${where}, at most ${data.k} allowed`;
  },
  // On the file's real values (levels × scales). A folded BatchNorm scales each output channel by
  // its own constant, so a per-tensor claim is then checked per output channel.
  checkExported(kernel, data) {
    const { k } = data;
    let groups = data.channels;
    let note: string | undefined;
    if (groups === null && kernel.foldedScale) {
      groups = kernel.outChannels;
      note = `clusters (k = ${k}, per tensor) checked per output channel: BatchNormalization '${kernel.foldedFrom}' was folded in`;
    }
    const values = kernel.values;
    const sets = Array.from({ length: groups ?? 1 }, () => new Set<number>());
    for (let j = 0; j < values.length; j++) {
      const g = groups === null ? 0 : j % groups;
      sets[g].add(values[j] === 0 ? 0 : values[j]);
      if (sets[g].size > k) {
        return { violation: `${sets[g].size} or more distinct values ${groups === null ? 'in the tensor' : `in output channel ${g}`}, at most ${k} claimed`, note };
      }
    }
    return { violation: null, note };
  },
  encode(data) {
    return { k: data.k, channels: data.channels } as JsonValue;
  },
  decode(json) {
    const o = json as { k?: unknown; channels?: unknown } | null;
    if (!o || typeof o.k !== 'number' || !(o.k >= 1) || !(o.channels === null || typeof o.channels === 'number')) {
      throw new StateError(`clusters: saved data must be {k: number >= 1, channels: number | null}, got ${describeValue(json)}`);
    }
    return { k: o.k, channels: o.channels };
  },
  derive(value, layout) {
    const values = value.dataSync();
    const perTensor = maxDistinctPerGroup(values, null, MAX_DERIVED_CLUSTERS).count;
    if (perTensor <= MAX_DERIVED_CLUSTERS && perTensor < values.length) return { k: perTensor, channels: null };
    if (layout) {
      const { channels } = layout;
      const perChannel = maxDistinctPerGroup(values, channels, MAX_DERIVED_CLUSTERS).count;
      if (perChannel <= MAX_DERIVED_CLUSTERS && perChannel < values.length / channels) return { k: perChannel, channels };
    }
    return null;
  },
});

