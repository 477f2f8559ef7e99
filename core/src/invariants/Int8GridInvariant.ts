import { StateError } from '../errors/StateError';
import { groupOf } from './channelGroups';
import type { Invariant, JsonValue } from './Invariant';
import { registerInvariant } from './InvariantRegistry';

/**
 * Data of the `int8-grid` invariant: symmetric scales, per tensor or per output channel.
 * @group Invariants
 */
export interface Int8GridData {
  /** One scale per channel group (length 1 when `channels` is null). */
  readonly scales: Float32Array;
  /** `null`: per tensor; else the number of output channels (see channelGroups). */
  readonly channels: number | null;
  /** Bit width; values are `scale * q` with q integer in [-(2^(bits-1) - 1), 2^(bits-1) - 1]. Default 8. */
  readonly bits: number;
}

/**
 * `int8-grid`: every value is `scale * q` with q an integer in [-127, 127] (narrow range,
 * symmetric, zero point 0), per tensor or per output channel. Established by `quantize`; the int8
 * exporter requires it.
 * @group Invariants
 */
export const Int8GridInvariant: Invariant<Int8GridData> = registerInvariant<Int8GridData>({
  name: 'int8-grid',
  description: 'values are scale·q with integer q in [-127, 127] (per tensor or per channel)',
  check(value, data) {
    const qmax = 2 ** (data.bits - 1) - 1;
    const v = value.dataSync();
    for (let i = 0; i < v.length; i++) {
      const scale = data.scales[groupOf(i, data.channels)];
      const q = v[i] / scale;
      const r = Math.round(q);
      // float32 storage of scale*q is exact to ~1e-7 relative; allow that, nothing more.
      if (Math.abs(q - r) > 1e-3 + 1e-5 * Math.abs(q) || Math.abs(r) > qmax) {
        return `element ${i} = ${v[i]} is not on the grid (scale ${scale}, q ≈ ${q.toFixed(4)}, |q| ≤ ${qmax})`;
      }
    }
    return null;
  },
  encode(data) {
    return { scales: Array.from(data.scales), channels: data.channels, bits: data.bits } as JsonValue;
  },
  decode(json) {
    const o = json as { scales?: unknown; channels?: unknown; bits?: unknown } | null;
    if (!o || !Array.isArray(o.scales) || !o.scales.every((s) => typeof s === 'number' && s > 0) ||
        !(o.channels === null || typeof o.channels === 'number') || typeof o.bits !== 'number') {
      throw new StateError(`int8-grid: saved data must be {scales: positive numbers, channels, bits}, got ${JSON.stringify(json)?.slice(0, 120)}`);
    }
    return { scales: Float32Array.from(o.scales as number[]), channels: o.channels, bits: o.bits };
  },
});

