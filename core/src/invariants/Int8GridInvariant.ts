import { describeValue } from '../errors/describeValue';
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
  hint: 'add quantize() to keep weights on the int8 grid',
  preservedBy: ['mask-only'],
  check(value, data) {
    return gridViolation(value.dataSync(), data);
  },
  // Stored as int8, or losslessly as float32 (float16 rounds the grid away). An int8 file must hold exactly
  // the model's values — times m_c when a BatchNorm was folded in (the levels are the trained
  // ones, the scales s_c·|m_c|); a BatchNorm folded into a per-tensor kernel forces new scales.
  checkExported(kernel, data) {
    // Lossless float32 storage of unfolded values holds the grid itself.
    if (kernel.dtype === 'float32' && !kernel.foldedScale) return { violation: gridViolation(kernel.values, data) };
    if (kernel.dtype !== 'int8') return { violation: null, applies: false };
    if (!kernel.onStateGrid) {
      return { violation: null, applies: false, note: `int8-grid not kept: BatchNormalization '${kernel.foldedFrom}' was folded into this per-tensor kernel, so its scale was recomputed` };
    }
    const w = kernel.modelValues();
    const m = kernel.foldedScale;
    const values = kernel.values;
    for (let k = 0; k < values.length; k++) {
      const expected = m ? w[k] * m[k % kernel.outChannels] : w[k];
      if (Math.abs(values[k] - expected) > (m ? 1e-5 : 1e-6) * Math.abs(expected)) {
        return { violation: `the element${kernel.position(k)} is ${values[k]} in the file but ${expected} in the model${m ? ` (× the folded '${kernel.foldedFrom}')` : ''}` };
      }
    }
    return { violation: null, ...(m ? { note: `int8-grid verified per channel through the folded BatchNormalization '${kernel.foldedFrom}' (scales s_c·|m_c|)` } : {}) };
  },
  encode(data) {
    return { scales: Array.from(data.scales), channels: data.channels, bits: data.bits } as JsonValue;
  },
  decode(json) {
    const o = json as { scales?: unknown; channels?: unknown; bits?: unknown } | null;
    if (!o || !Array.isArray(o.scales) || !o.scales.every((s) => typeof s === 'number' && s > 0) ||
        !(o.channels === null || typeof o.channels === 'number') || typeof o.bits !== 'number') {
      throw new StateError(`int8-grid: saved data must be {scales: positive numbers, channels, bits}, got ${describeValue(json)}`);
    }
    return { scales: Float32Array.from(o.scales as number[]), channels: o.channels, bits: o.bits };
  },
});


/** The first element of `v` off the grid of `data`, described, or null. */
function gridViolation(v: ArrayLike<number>, data: Int8GridData): string | null {
  const qmax = 2 ** (data.bits - 1) - 1;
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
}
