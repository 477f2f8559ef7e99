/** One weight file of a sharded weight group. */
export interface WeightShard {
  /** `group{g}-shard{i}of{n}.bin`, as the tfjs converter names shards. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

/**
 * Cuts a weight group's concatenated bytes into files of `shardSizeBytes` (the last one may be
 * smaller), named as the tfjs converter's `write_weights` names them. Weights may straddle shard
 * boundaries: the loader concatenates the shards of a group before decoding. An empty group has
 * no shards, as in the converter.
 *
 * @param group 1-based group number (a Layers model exported by the converter has one group).
 */
export function shardWeightData(data: Uint8Array, shardSizeBytes: number, group = 1): WeightShard[] {
  if (!Number.isInteger(shardSizeBytes) || shardSizeBytes < 1) {
    throw new RangeError(`shardWeightData: shardSizeBytes must be a positive integer, got ${shardSizeBytes}`);
  }
  const count = Math.ceil(data.byteLength / shardSizeBytes);
  const shards: WeightShard[] = [];
  for (let i = 0; i < count; i++) {
    shards.push({
      name: `group${group}-shard${i + 1}of${count}.bin`,
      // A copy, so each file owns exactly its bytes (`.buffer` of a view would expose the whole group).
      bytes: data.slice(i * shardSizeBytes, Math.min((i + 1) * shardSizeBytes, data.byteLength)),
    });
  }
  return shards;
}
