import * as tf from '@tensorflow/tfjs';
import type { ExportCheck, ExportedKernel } from './ExportedKernel';
import type { Invariant } from './Invariant';

/**
 * Verifies one invariant on a kernel read back from an exported file: the invariant's own
 * `checkExported` when it has one, else its run-time `check` on the file's values. A factor the
 * exporter folded into the kernel (a BatchNorm's per-channel multiplier) is divided back out
 * first, rounded to float32 as the model stores weights, so `check` sees what the model held; an
 * invariant that must judge the file's own values under folding implements `checkExported`.
 * @group Invariants
 */
export function checkExportedKernel<D>(invariant: Invariant<D>, kernel: ExportedKernel, data: D): ExportCheck {
  if (invariant.checkExported) return invariant.checkExported(kernel, data);
  const values = Float32Array.from(kernel.values);
  const m = kernel.foldedScale;
  if (m) {
    for (let k = 0; k < values.length; k++) {
      const f = m[k % kernel.outChannels];
      // A zero factor zeroes its channel: nothing of the model's value survives to compare.
      if (f !== 0) values[k] = Math.fround(values[k] / f);
    }
  }
  const tensor = tf.tensor(values, [...kernel.shape], 'float32');
  let violation: string | null;
  try {
    violation = invariant.check(tensor, data);
  } finally {
    tensor.dispose();
  }
  return { violation, ...(m ? { note: `${invariant.name} checked with BatchNormalization '${kernel.foldedFrom}' divided back out` } : {}) };
}
